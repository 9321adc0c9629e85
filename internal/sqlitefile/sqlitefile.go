// Package sqlitefile is what every CallDocket SQLite file shares: it is
// created 0600 in a 0700 folder before SQLite opens it (SQLite gives the
// -wal and -shm files the same mode), it is opened by a file: URI that
// works for Windows drive paths too, and times are stored as unix
// milliseconds with 0 for the zero time.
package sqlitefile

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Create makes path's folder (0700) and the file itself (0600) if missing,
// and restricts an existing file to 0600.
func Create(path string) error {
	if path == "" {
		return fmt.Errorf("create database file: empty path")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("create data folder: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("create database file: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("create database file: %w", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		return fmt.Errorf("restrict database file: %w", err)
	}
	return nil
}

// URI is the modernc.org/sqlite data source name for path with the given
// query parameters ("_pragma=synchronous(FULL)", "_txlock=immediate", …).
func URI(path string, params ...string) string {
	p := filepath.ToSlash(path)
	if filepath.VolumeName(path) != "" && !strings.HasPrefix(p, "/") {
		p = "/" + p // file:/C:/x.db on Windows
	}
	u := url.URL{Scheme: "file", OmitHost: true, Path: p}
	if len(params) == 0 {
		return u.String()
	}
	return u.String() + "?" + strings.Join(params, "&")
}

// Durable are the parameters of a file whose every commit must survive a
// power cut: WAL, synchronous=FULL, a busy timeout for other processes.
// The busy timeout comes first: pragmas run in order, and switching a new
// file to WAL while another process opens it must wait, not fail.
var Durable = []string{"_pragma=busy_timeout(5000)", "_pragma=journal_mode(WAL)", "_pragma=synchronous(FULL)",
	"_pragma=foreign_keys(1)"}

// MS stores a time as unix milliseconds, the zero time as 0.
func MS(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// Time is the inverse of MS.
func Time(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms)
}

// InTx runs fn in one transaction of db, committing if it returns nil and
// rolling back otherwise; what names the file in errors ("outbox"). A
// full disk is reported as a *FullError naming the file.
func InTx(ctx context.Context, db *sql.DB, what string, fn func(tx *sql.Tx) error) error {
	return fullInDB(ctx, db, inTx(ctx, db, what, fn))
}

func inTx(ctx context.Context, db *sql.DB, what string, fn func(tx *sql.Tx) error) (err error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin %s transaction: %w", what, err)
	}
	defer func() {
		if err != nil {
			if rerr := tx.Rollback(); rerr != nil && !errors.Is(rerr, sql.ErrTxDone) {
				err = errors.Join(err, fmt.Errorf("roll back %s transaction: %w", what, rerr))
			}
		}
	}()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit %s transaction: %w", what, err)
	}
	return nil
}
