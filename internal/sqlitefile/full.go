package sqlitefile

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"syscall"
)

// ErrDiskFull matches every *FullError (errors.Is).
var ErrDiskFull = errors.New("disk full")

// FullError says a write failed because the disk holding Path is full.
// What was committed before is still in the file: SQLite rolls back only
// the transaction that could not be written.
type FullError struct {
	Path string
	Err  error
}

func (e *FullError) Error() string {
	return fmt.Sprintf("the disk is full (%s): free some space on it; what was saved before is kept", e.Path)
}

func (e *FullError) Unwrap() []error { return []error{ErrDiskFull, e.Err} }

// lowSpace is the free space under which a SQLite I/O error is taken for
// a full disk: SQLite reports ENOSPC on a write as SQLITE_FULL, but a
// failed fsync, a -shm grow or a truncate on a full disk as SQLITE_IOERR.
const lowSpace = 1 << 20

// Full returns err as a *FullError for path when it says the disk is
// full (SQLITE_FULL, ENOSPC, or a SQLite I/O error while path's disk has
// almost no space left), and err unchanged otherwise. It is the one place
// the stores map a full disk.
func Full(err error, path string) error {
	if err == nil || path == "" || errors.Is(err, ErrDiskFull) {
		return err
	}
	full := false
	switch {
	case sqliteCode(err) == codeFull, errors.Is(err, syscall.ENOSPC), isDiskFullErrno(err):
		full = true
	case sqliteCode(err) == codeIOErr:
		free, ok := freeBytes(path)
		full = ok && free < lowSpace
	}
	if !full {
		return err
	}
	return fmt.Errorf("%w", &FullError{Path: path, Err: err})
}

// FullIn is Full for an error of db, whose main file it asks for only
// when err may be a full disk.
func FullIn(ctx context.Context, db *sql.DB, err error) error { return fullInDB(ctx, db, err) }

func fullInDB(ctx context.Context, db *sql.DB, err error) error {
	if err == nil || errors.Is(err, ErrDiskFull) {
		return err
	}
	if c := sqliteCode(err); c != codeFull && c != codeIOErr && !errors.Is(err, syscall.ENOSPC) {
		return err
	}
	var path string
	if qerr := db.QueryRowContext(context.WithoutCancel(ctx),
		"SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&path); qerr != nil || path == "" {
		return err
	}
	return Full(err, path)
}
