package sqlitefile

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ErrDamaged matches every *DamagedError (errors.Is).
var ErrDamaged = errors.New("damaged database file")

// DamagedError says a file that has held data cannot be used as it is:
// empty or missing although it was created before, not a database, or
// failing SQLite's integrity check. Nothing has been changed on disk.
type DamagedError struct {
	What   string // "outbox", "call ledger", "directory"
	Path   string
	Reason string // "the file is empty", "database disk image is malformed", …
	Err    error  // the SQLite error, if any
}

// Error is the one line every surface shows: the file, what is wrong and
// what to do.
func (e *DamagedError) Error() string {
	return fmt.Sprintf("the %s file %s is damaged (%s): start CallDocket (quit it first if it is running); "+
		"it keeps the damaged file, recovers what it can and starts a new one", e.What, e.Path, e.Reason)
}

func (e *DamagedError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrDamaged}
	}
	return []error{ErrDamaged, e.Err}
}

// SQLite's primary result codes this package reads (sqlite3.h).
const (
	codeIOErr   = 10
	codeCorrupt = 11
	codeFull    = 13
	codeNotADB  = 26
)

// sqliteCode is the primary result code of a SQLite error in err's chain,
// or 0. It reads the driver's Code method, so the package needs no driver.
func sqliteCode(err error) int {
	var c interface{ Code() int }
	if errors.As(err, &c) {
		return c.Code() & 0xff
	}
	return 0
}

// Damaged returns a *DamagedError for path when err says the file is not a
// database or is corrupt (SQLITE_NOTADB, SQLITE_CORRUPT), and nil for any
// other error.
func Damaged(err error, what, path string) *DamagedError {
	if err == nil {
		return nil
	}
	var de *DamagedError
	if errors.As(err, &de) {
		return de
	}
	switch sqliteCode(err) {
	case codeCorrupt, codeNotADB:
		return &DamagedError{What: what, Path: path, Reason: sqliteReason(err), Err: err}
	}
	return nil
}

// sqliteReason is SQLite's own words for err without the driver's code
// suffix: "database disk image is malformed".
func sqliteReason(err error) string {
	var c interface{ Code() int }
	msg := err.Error()
	if errors.As(err, &c) {
		msg = c.(error).Error()
	}
	if i := strings.Index(msg, " ("); i > 0 {
		msg = msg[:i]
	}
	return msg
}

// createdSuffix names the marker written next to a store once its schema
// is committed: it tells a file that held data and is now empty or gone
// from one whose first creation was cut short.
const createdSuffix = ".created"

// Precheck looks at path before a store opens it. An empty or missing
// file whose marker says it was created before is a *DamagedError; so is
// a file that does not start like a SQLite database. Otherwise nil: a new
// file, or one SQLite must judge.
func Precheck(what, path string) error {
	_, merr := os.Stat(path + createdSuffix)
	created := merr == nil
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if created {
			return &DamagedError{What: what, Path: path, Reason: "the file is missing"}
		}
		return nil
	case err != nil:
		return fmt.Errorf("read %s file: %w", what, err)
	case fi.Size() == 0:
		if created {
			return &DamagedError{What: what, Path: path, Reason: "the file is empty"}
		}
		return nil
	}
	return nil
}

// Check runs SQLite's quick integrity check (about O(N) in the file size,
// without the index cross-checks of integrity_check) on db and returns a
// *DamagedError naming path if it finds a problem.
func Check(ctx context.Context, db *sql.DB, what, path string) error {
	rows, err := db.QueryContext(ctx, "PRAGMA quick_check")
	if err != nil {
		if de := Damaged(err, what, path); de != nil {
			return de
		}
		return fmt.Errorf("check %s file: %w", what, err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return fmt.Errorf("check %s file: %w", what, err)
		}
		if s != "ok" {
			problems = append(problems, s)
		}
	}
	if err := rows.Err(); err != nil {
		if de := Damaged(err, what, path); de != nil {
			return de
		}
		return fmt.Errorf("check %s file: %w", what, err)
	}
	if len(problems) > 0 {
		reason := "integrity check: " + problems[0]
		if len(problems) > 1 {
			reason += fmt.Sprintf(" and %d more problems", len(problems)-1)
		}
		return &DamagedError{What: what, Path: path, Reason: reason}
	}
	return nil
}

// MarkCreated records, once, that path holds a store (see Precheck). Call
// it after the schema is committed.
func MarkCreated(path string) error {
	m := path + createdSuffix
	if _, err := os.Stat(m); err == nil {
		return nil
	}
	f, err := os.OpenFile(m, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("mark database file created: %w", err)
	}
	_, werr := fmt.Fprintf(f, "%s was created; if it is ever empty or missing, CallDocket says so instead of starting a new one\n",
		filepath.Base(path))
	if err := errors.Join(werr, f.Sync(), f.Close()); err != nil {
		return fmt.Errorf("mark database file created: %w", err)
	}
	return syncDir(filepath.Dir(path))
}

// Repair is what was done about a damaged file: it was set aside (kept,
// never deleted) and a new one started, with what could be read copied in.
type Repair struct {
	What     string    `json:"what"`
	Path     string    `json:"path"`
	SetAside string    `json:"set_aside,omitempty"` // "" when the file was missing
	Reason   string    `json:"reason"`
	At       time.Time `json:"at"`
	// Recovered counts the records (Unit: "items", "calls") copied from
	// the damaged file: 0 when nothing could be read or the store is
	// rebuilt from elsewhere.
	Recovered int    `json:"recovered"`
	Unit      string `json:"unit,omitempty"`
	// Note is what happens next, e.g. "it is being rebuilt from Clio".
	Note string `json:"note,omitempty"`
}

// String is the one line the tray, `status` and the log show.
func (r Repair) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "the %s file %s was damaged (%s)", r.What, r.Path, r.Reason)
	if r.SetAside != "" {
		fmt.Fprintf(&b, "; CallDocket kept it as %s and started a new one", r.SetAside)
	} else {
		b.WriteString("; CallDocket started a new one")
	}
	if r.Recovered > 0 {
		unit := r.Unit
		if unit == "" {
			unit = "records"
		}
		fmt.Fprintf(&b, " with %d %s recovered from it", r.Recovered, unit)
	}
	if r.Note != "" {
		b.WriteString("; " + r.Note)
	}
	return b.String()
}

// damagedInfix is what a set-aside file's name carries after the store's
// own name: outbox.db.damaged-20261207T0233Z.
const damagedInfix = ".damaged-"

// SetAside renames the damaged file of de (and its -wal and -shm, so the
// kept copy opens as it was) to PATH.damaged-STAMP, 0600, and removes the
// created marker so the new file can be made. Nothing is deleted.
func SetAside(de *DamagedError, now time.Time) (Repair, error) {
	r := Repair{What: de.What, Path: de.Path, Reason: de.Reason, At: now}
	if _, err := os.Stat(de.Path); errors.Is(err, os.ErrNotExist) {
		if err := removeMarker(de.Path); err != nil {
			return r, err
		}
		return r, nil
	}
	stamp := now.UTC().Format("20060102T1504Z")
	dst := de.Path + damagedInfix + stamp
	for i := 2; exists(dst) || exists(dst+"-wal"); i++ {
		dst = fmt.Sprintf("%s%s%s-%d", de.Path, damagedInfix, stamp, i)
	}
	for _, sfx := range []string{"-wal", "-shm"} { // the main file last: it is what marks the set-aside copy
		if !exists(de.Path + sfx) {
			continue
		}
		if err := os.Rename(de.Path+sfx, dst+sfx); err != nil {
			return r, fmt.Errorf("set the damaged %s file aside: %w", de.What, err)
		}
		_ = os.Chmod(dst+sfx, 0o600)
	}
	if err := os.Rename(de.Path, dst); err != nil {
		return r, fmt.Errorf("set the damaged %s file aside: %w", de.What, err)
	}
	if err := os.Chmod(dst, 0o600); err != nil {
		return r, fmt.Errorf("restrict the damaged %s file: %w", de.What, err)
	}
	r.SetAside = dst
	if err := removeMarker(de.Path); err != nil {
		return r, err
	}
	return r, syncDir(filepath.Dir(de.Path))
}

// SetAsideFiles lists the set-aside copies in dir (not their -wal/-shm).
func SetAsideFiles(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list damaged files: %w", err)
	}
	var out []string
	for _, e := range ents {
		n := e.Name()
		if !e.Type().IsRegular() || !strings.Contains(n, damagedInfix) ||
			strings.HasSuffix(n, "-wal") || strings.HasSuffix(n, "-shm") || strings.HasSuffix(n, salvageSuffix) {
			continue
		}
		out = append(out, filepath.Join(dir, n))
	}
	return out, nil
}

func removeMarker(path string) error {
	if err := os.Remove(path + createdSuffix); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("reset database file marker: %w", err)
	}
	return nil
}

func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

// codeBusy is SQLITE_BUSY, "database is locked".
const codeBusy = 5

// busyRetryFor bounds how long RetryBusy keeps trying.
const busyRetryFor = 5 * time.Second

// RetryBusy runs open until it returns without SQLITE_BUSY, ctx ends or
// 5 s pass. The busy timeout covers ordinary lock waits, but not every
// step of opening a file another process is creating at the same moment
// (switching to WAL, the first schema): those answer SQLITE_BUSY at once.
func RetryBusy[T any](ctx context.Context, open func() (T, error)) (T, error) {
	deadline := time.Now().Add(busyRetryFor)
	for wait := 10 * time.Millisecond; ; wait = min(2*wait, 200*time.Millisecond) {
		v, err := open()
		if err == nil || sqliteCode(err) != codeBusy || time.Now().After(deadline) {
			return v, err
		}
		select {
		case <-ctx.Done():
			return v, err
		case <-time.After(wait):
		}
	}
}
