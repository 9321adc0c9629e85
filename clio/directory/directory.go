package directory

import (
	"context"
	"database/sql"
	_ "embed"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/calldocket/calldocket/internal/sqlitefile"
	"github.com/calldocket/calldocket/phone"
)

var (
	//go:embed schema.sql
	schemaV1 string
	//go:embed schema_v2.sql
	schemaV2 string
)

// migrations[i] brings the schema from version i to i+1 (PRAGMA user_version).
var migrations = []string{schemaV1, schemaV2}

// ErrUnknownRegion is returned by Open for a DefaultRegion libphonenumber
// does not know.
var ErrUnknownRegion = errors.New("unknown phone region")

// ErrSchemaTooNew is returned by Open for a file written by a newer version.
var ErrSchemaTooNew = errors.New("directory schema newer than this program")

// Options configure phone matching.
type Options struct {
	// DefaultRegion reads numbers without a country code ("US" if empty).
	DefaultRegion string
	// FirmNumbers are the firm's own numbers: never matched to a contact.
	FirmNumbers []string
	// MinDigits: shorter numbers are internal extensions (7 if zero).
	MinDigits int
	// UserID is the signed-in Clio user: matters they are responsible or
	// originating attorney of rank higher. 0 means unknown.
	UserID int64
}

// Directory is the local mirror of the user's Clio contacts and matters.
// It is safe for concurrent use.
type Directory struct {
	db        *sql.DB
	log       *slog.Logger
	region    string
	minDigits int
	firmE164  map[string]bool
	firmNSN   map[string]bool

	syncMu sync.Mutex // one Sync at a time

	userID int64

	direct, weak, matters, numbers *sql.Stmt
}

// Open opens (creating if needed) the directory database at path: a SQLite
// file with mode 0600 in a 0700 directory, WAL journal, synchronous=NORMAL.
// A nil logger discards.
func Open(ctx context.Context, path string, opts Options, logger *slog.Logger) (*Directory, error) {
	return openWith(ctx, path, opts, logger, false)
}

// openWith is Open; check runs SQLite's quick_check too (about 230 ms on a
// 52 MB directory of 100,000 contacts, so only the tray app's start pays
// it; a damaged header or page is an error on use anyway).
func openWith(ctx context.Context, path string, opts Options, logger *slog.Logger, check bool) (*Directory, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	region := phone.Region(opts.DefaultRegion)
	if !phone.KnownRegion(region) {
		return nil, fmt.Errorf("open directory: region %q: %w", region, ErrUnknownRegion)
	}
	d := &Directory{
		log:       logger,
		region:    region,
		minDigits: opts.MinDigits,
		userID:    opts.UserID,
		firmE164:  map[string]bool{},
		firmNSN:   map[string]bool{},
	}
	if d.minDigits <= 0 {
		d.minDigits = 7
	}
	for i, n := range opts.FirmNumbers {
		k := phone.Analyze(n, region)
		switch {
		case k.E164 != "":
			d.firmE164[k.E164] = true
			d.firmNSN[k.National] = true
		case len(k.National) >= 7: // e.g. a local number without area code
			d.firmNSN[k.National] = true
		default:
			logger.Warn("ignoring firm number", "index", i, "number", phone.Mask(n), "err", k.Err)
		}
	}

	// Another process (the tray app, a CLI command) may be creating the
	// file or switching it to WAL right now: wait out SQLITE_BUSY, as the
	// outbox and the ledger do.
	if _, err := sqlitefile.RetryBusy(ctx, func() (struct{}, error) { return struct{}{}, d.open(ctx, path, check) }); err != nil {
		if de := sqlitefile.Damaged(err, "directory", path); de != nil {
			return nil, de
		}
		return nil, fmt.Errorf("open directory: %w", sqlitefile.Full(err, path))
	}
	return d, nil
}

// OpenRepair is Open that sets a damaged file aside (PATH.damaged-STAMP,
// kept, never deleted) and starts an empty directory: it is a cache of
// Clio, and the next sync fills it again (a new file has never synced, so
// that sync reads everything). Lookups find nobody meanwhile; calls are
// logged all the same. The Repair says what happened; nil if nothing did.
func OpenRepair(ctx context.Context, path string, opts Options, logger *slog.Logger) (*Directory, *sqlitefile.Repair, error) {
	d, err := openWith(ctx, path, opts, logger, true)
	var de *sqlitefile.DamagedError
	if !errors.As(err, &de) {
		return d, nil, err
	}
	rep, err := sqlitefile.SetAside(de, time.Now())
	if err != nil {
		return nil, nil, errors.Join(de, err)
	}
	rep.Note = "it is being rebuilt from Clio, and calls are logged meanwhile"
	if d, err = Open(ctx, path, opts, logger); err != nil {
		return nil, &rep, err
	}
	if logger != nil {
		logger.Warn("damaged directory set aside", "path", path, "set_aside", rep.SetAside, "reason", rep.Reason)
	}
	return d, &rep, nil
}

func (d *Directory) open(ctx context.Context, path string, check bool) error {
	if err := sqlitefile.Precheck("directory", path); err != nil {
		return err
	}
	if err := sqlitefile.Create(path); err != nil {
		return err
	}
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		return err
	}
	// WAL lets lookups read while a sync writes; writers serialise on the
	// SQLite lock (busy_timeout) and on syncMu.
	db.SetMaxOpenConns(4)
	db.SetMaxIdleConns(4)
	d.db = db
	if err := d.init(ctx, path, check); err != nil {
		d.closeStmts()
		return errors.Join(err, db.Close())
	}
	return sqlitefile.MarkCreated(path)
}

func (d *Directory) init(ctx context.Context, path string, check bool) error {
	if err := d.db.PingContext(ctx); err != nil {
		return err
	}
	if check {
		if err := sqlitefile.Check(ctx, d.db, "directory", path); err != nil {
			return err
		}
	}
	if err := migrate(ctx, d.db); err != nil {
		return err
	}
	if err := d.prepare(ctx); err != nil {
		return err
	}
	return d.reindexIfRegionChanged(ctx)
}

func (d *Directory) closeStmts() {
	for _, st := range []*sql.Stmt{d.direct, d.weak, d.matters, d.numbers} {
		if st != nil {
			st.Close()
		}
	}
	d.direct, d.weak, d.matters, d.numbers = nil, nil, nil, nil
}

// Close closes the database. A nil Directory closes nothing.
func (d *Directory) Close() error {
	if d == nil {
		return nil
	}
	var errs []error
	for _, st := range []*sql.Stmt{d.direct, d.weak, d.matters, d.numbers} {
		if st != nil {
			errs = append(errs, st.Close())
		}
	}
	errs = append(errs, d.db.Close())
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close directory: %w", err)
	}
	return nil
}

// dsn builds the SQLite URI for path, escaping the characters URIs give a
// meaning to and adding the leading slash Windows drive paths need.
func dsn(path string) string {
	return sqlitefile.URI(path, "_pragma=busy_timeout(5000)", "_pragma=journal_mode(WAL)", "_pragma=synchronous(NORMAL)",
		"_pragma=foreign_keys(1)",
		// Lookups must not wait on read syscalls: map the file (the OS page
		// cache is shared by all connections) and keep a modest page cache.
		"_pragma=mmap_size(268435456)", "_pragma=cache_size(-8192)")
}

// migrate brings the schema up to date under one immediate (write-locked)
// transaction that reads the version too, so two processes opening a new
// file at once (the tray app and a command) never both migrate it.
func migrate(ctx context.Context, db *sql.DB) (err error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("directory connection: %w", err)
	}
	defer func() { err = errors.Join(err, conn.Close()) }()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return fmt.Errorf("begin directory migration: %w", err)
	}
	committed := false
	defer func() {
		if !committed {
			if _, rerr := conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK"); rerr != nil {
				err = errors.Join(err, fmt.Errorf("roll back directory migration: %w", rerr))
			}
		}
	}()
	var v int
	if err := conn.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if v > len(migrations) {
		return fmt.Errorf("schema version %d: %w", v, ErrSchemaTooNew)
	}
	for ; v < len(migrations); v++ {
		if _, err := conn.ExecContext(ctx, migrations[v]); err != nil {
			return fmt.Errorf("migrate schema to version %d: %w", v+1, err)
		}
		if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v+1)); err != nil {
			return fmt.Errorf("migrate schema to version %d: %w", v+1, err)
		}
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return fmt.Errorf("commit directory migration: %w", err)
	}
	committed = true
	return nil
}

// inTx runs fn in a transaction, committing if it returns nil. A full
// disk is a *sqlitefile.FullError naming the file.
func inTx(ctx context.Context, db *sql.DB, fn func(tx *sql.Tx) error) error {
	return sqlitefile.FullIn(ctx, db, runTx(ctx, db, fn))
}

func runTx(ctx context.Context, db *sql.DB, fn func(tx *sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		return errors.Join(err, tx.Rollback())
	}
	return tx.Commit()
}
