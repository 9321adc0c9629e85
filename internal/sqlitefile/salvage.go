package sqlitefile

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// salvageSuffix names the private working copy Salvage reads.
const salvageSuffix = ".salvage"

// Salvage copies into dst every row it can still read from the set-aside
// file src: the tables dst has, the columns both have, ids kept (INSERT OR
// IGNORE, so rows dst already has win). It reads a private copy of src
// (and its -wal), so the kept file keeps its bytes. Past a page it cannot
// read it skips ahead. It returns how many rows it copied per table; an
// error means nothing was copied.
func Salvage(ctx context.Context, src string, dst *sql.DB) (map[string]int, error) {
	tmp := src + salvageSuffix
	defer func() {
		for _, sfx := range []string{"", "-wal", "-shm", "-journal"} {
			_ = os.Remove(tmp + sfx)
		}
	}()
	if err := copyFile(src, tmp); err != nil {
		return nil, fmt.Errorf("copy the damaged file: %w", err)
	}
	if err := fixMagic(tmp); err != nil {
		return nil, fmt.Errorf("copy the damaged file: %w", err)
	}
	if exists(src + "-wal") {
		if err := copyFile(src+"-wal", tmp+"-wal"); err != nil {
			return nil, fmt.Errorf("copy the damaged file: %w", err)
		}
	}
	sdb, err := sql.Open("sqlite", URI(tmp, "_pragma=busy_timeout(1000)"))
	if err != nil {
		return nil, fmt.Errorf("open the damaged file: %w", err)
	}
	defer sdb.Close()
	sdb.SetMaxOpenConns(1)

	tables, err := tableNames(ctx, dst)
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	conn, err := dst.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("salvage connection: %w", err)
	}
	defer conn.Close()
	// Rows come back as they were; a child whose parent is lost is kept too.
	if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
		return nil, fmt.Errorf("salvage: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA foreign_keys = ON")
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin salvage: %w", err)
	}
	copied := map[string]int{}
	for _, t := range tables {
		n, err := salvageTable(ctx, sdb, tx, t)
		if err != nil {
			return nil, errors.Join(fmt.Errorf("salvage %s: %w", t, err), tx.Rollback())
		}
		copied[t] = n
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("commit salvage: %w", err)
	}
	return copied, nil
}

func tableNames(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx,
		`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

type queryer interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

func columnNames(ctx context.Context, q queryer, table string) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT name FROM pragma_table_info(?)`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// salvageTable copies what it can read of table from src into tx, in
// rowid order, 256 rows a query; a query that fails skips ahead, farther
// each time, and twelve failures in a row end the table. A table src
// does not have, or whose schema cannot be read, copies nothing.
func salvageTable(ctx context.Context, src *sql.DB, tx *sql.Tx, table string) (int, error) {
	want, err := columnNames(ctx, tx, table)
	if err != nil {
		return 0, err
	}
	have, err := columnNames(ctx, src, table)
	if err != nil || len(have) == 0 {
		return 0, nil
	}
	inSrc := map[string]bool{}
	for _, c := range have {
		inSrc[c] = true
	}
	var cols []string
	for _, c := range want {
		if inSrc[c] {
			cols = append(cols, `"`+strings.ReplaceAll(c, `"`, `""`)+`"`)
		}
	}
	if len(cols) == 0 {
		return 0, nil
	}
	qt := `"` + strings.ReplaceAll(table, `"`, `""`) + `"`
	list := strings.Join(cols, ", ")
	ins, err := tx.PrepareContext(ctx, "INSERT OR IGNORE INTO "+qt+" ("+list+") VALUES (?"+strings.Repeat(", ?", len(cols)-1)+")")
	if err != nil {
		return 0, err
	}
	defer ins.Close()
	sel := "SELECT rowid, " + list + " FROM " + qt + " WHERE rowid > ? ORDER BY rowid LIMIT 256"

	copied, failures := 0, 0
	var last int64 = -1 << 62
	step := int64(1)
	for failures < 12 {
		rows, n, err := readBatch(ctx, src, sel, last, len(cols))
		for _, r := range rows {
			res, ierr := ins.ExecContext(ctx, r[1:]...)
			if ierr != nil {
				return copied, ierr
			}
			if k, _ := res.RowsAffected(); k > 0 {
				copied++
			}
			last = r[0].(int64)
		}
		if err == nil {
			if n < 256 {
				return copied, nil
			}
			failures, step = 0, 1
			continue
		}
		if ctx.Err() != nil {
			return copied, ctx.Err()
		}
		failures++
		if last < 0 {
			last = 0
		}
		last += step
		step *= 8
	}
	return copied, nil
}

// readBatch returns the rows it read before an error, and the error.
func readBatch(ctx context.Context, db *sql.DB, q string, after int64, ncols int) ([][]any, int, error) {
	rows, err := db.QueryContext(ctx, q, after)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out [][]any
	for rows.Next() {
		vals := make([]any, ncols+1)
		ptrs := make([]any, ncols+1)
		var id int64
		ptrs[0] = &id
		for i := 1; i <= ncols; i++ {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return out, len(out), err
		}
		vals[0] = id
		out = append(out, vals)
	}
	return out, len(out), rows.Err()
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	_, cerr := io.Copy(out, in)
	return errors.Join(cerr, out.Close())
}

// magic is how every SQLite file starts.
const magic = "SQLite format 3\x00"

// fixMagic restores the first 16 bytes of the working copy at path when
// they were overwritten: SQLite refuses a file without them even if every
// page is intact.
func fixMagic(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	b := make([]byte, len(magic))
	if n, _ := f.ReadAt(b, 0); n == len(magic) && string(b) != magic {
		_, err = f.WriteAt([]byte(magic), 0)
	}
	return errors.Join(err, f.Close())
}
