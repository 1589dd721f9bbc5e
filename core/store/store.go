// Package store keeps Framecast's records (accounts, API keys, the credit ledger, tasks, renders, previews,
// files, webhook attempts and idempotency records) in SQLite or PostgreSQL.
//
// One set of queries serves both databases: queries are written with `?` placeholders and rebound by sqlx
// for the driver in use, and the schema (embedded migrations, applied by Open under a lock) sticks to types
// both understand: TEXT ids made in Go, BIGINT unix-microsecond times, TEXT statuses and TEXT JSON.
//
// Every query that reads or changes an account's objects takes the account id and filters on it, so one
// account can never see another's rows. The few queries that the render worker runs by render id are named
// as such.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq"  // registers the "postgres" driver
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

func init() {
	// modernc's driver is not in sqlx's table of placeholder styles.
	sqlx.BindDriver("sqlite", sqlx.QUESTION)
}

// ErrNotFound is returned when a row does not exist, or belongs to another account.
var ErrNotFound = errors.New("store: not found")

// Dialect names the database behind a Store.
type Dialect string

// The supported dialects.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Store is an open database with Framecast's schema applied. It is safe for concurrent use.
//
// The repository methods (CreateTask, GetTask, …) are promoted from an embedded query set; the same methods
// exist on Tx, where they run inside the transaction.
type Store struct {
	queries
	db      *sqlx.DB
	dialect Dialect
	// cleanup runs after the database is closed (removes the temporary directory of a ":memory:" store).
	cleanup func()
}

// Open connects to the database named by dsn and applies any pending migrations.
//
// dsn is one of:
//   - a PostgreSQL URL, "postgres://…" or "postgresql://…" (driver lib/pq);
//   - ":memory:" or "": a SQLite database in a new temporary directory, deleted by Close;
//   - a SQLite file path, or a "file:PATH?…" URI; optional "sqlite:" or "sqlite://" prefix.
//
// SQLite databases are opened in WAL mode with a busy timeout, foreign keys on and immediate transactions, so
// concurrent writers wait for each other instead of failing with "database is locked".
//
// Migrations run under a lock (an advisory lock on PostgreSQL, a file lock next to the SQLite file), so
// several processes opening the same fresh database at once do not race.
func Open(ctx context.Context, dsn string) (*Store, error) {
	var s *Store
	var err error
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		s, err = openPostgres(dsn)
	} else {
		s, err = openSQLite(dsn)
	}
	if err != nil {
		return nil, err
	}
	if s.dialect == SQLite {
		// The file lock covers the check of the file, its creation and the migrations, so that several
		// processes starting on a new file do not see each other's file mid-creation as a lost one.
		unlock, err := lockFile(ctx, s.lockPath)
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("store: take migration lock %s: %w", s.lockPath, err)
		}
		defer unlock()
		if err := refuseEmptyFile(strings.TrimSuffix(s.lockPath, lockSuffix)); err != nil {
			s.Close()
			return nil, err
		}
	}
	if err := s.db.PingContext(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("store: connect to %s: %w", s.dialect, err)
	}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func openPostgres(dsn string) (*Store, error) {
	db, err := sqlx.Open("postgres", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open postgres: %w", err)
	}
	return &Store{queries: queries{x: db}, db: db, dialect: Postgres}, nil
}

// sqliteParams are added to every SQLite DSN that does not mention their key itself.
var sqliteParams = []struct{ key, param string }{
	{"busy_timeout", "_pragma=busy_timeout(10000)"},
	{"journal_mode", "_pragma=journal_mode(WAL)"},
	{"synchronous", "_pragma=synchronous(NORMAL)"},
	{"foreign_keys", "_pragma=foreign_keys(1)"},
	{"_txlock", "_txlock=immediate"},
}

func openSQLite(dsn string) (*Store, error) {
	var cleanup func()
	path, query, err := sqlitePath(dsn)
	if err != nil {
		return nil, err
	}
	if path == "" {
		dir, err := os.MkdirTemp("", "framecast-sqlite-")
		if err != nil {
			return nil, fmt.Errorf("store: temporary database: %w", err)
		}
		path = filepath.Join(dir, "framecast.db")
		cleanup = func() { os.RemoveAll(dir) }
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("store: sqlite directory: %w", err)
	}
	params := []string{}
	if query != "" {
		params = append(params, query)
	}
	for _, p := range sqliteParams {
		if !strings.Contains(query, p.key) {
			params = append(params, p.param)
		}
	}
	query = strings.Join(params, "&")
	db, err := sqlx.Open("sqlite", "file:"+path+"?"+query)
	if err != nil {
		if cleanup != nil {
			cleanup()
		}
		return nil, fmt.Errorf("store: open sqlite %s: %w", path, err)
	}
	return &Store{queries: queries{x: db, lockPath: path + lockSuffix}, db: db, dialect: SQLite, cleanup: cleanup}, nil
}

// lockSuffix makes the name of the lock file next to a SQLite database.
const lockSuffix = ".migrate-lock"

// refuseEmptyFile fails when path exists but holds nothing. SQLite would silently make a new database in
// it, and the migrations would then start an empty service where the operator's data was: a file truncated
// by a full disk, a bad copy or a restore gone wrong must stop the start instead, so the data can still be
// recovered. A missing file is fine (a first start creates it).
func refuseEmptyFile(path string) error {
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("store: sqlite database %s: %w", path, err)
	case info.IsDir():
		return fmt.Errorf("store: sqlite database %s is a directory, not a database file", path)
	case info.Size() == 0:
		return fmt.Errorf("store: the database file %s is empty (0 bytes); refusing to start rather than create a new database over it. "+
			"Restore it from a backup, or delete it to start with an empty database", path)
	}
	return nil
}

// sqlitePath splits a SQLite dsn into its file path ("" for a temporary database) and its query string.
func sqlitePath(dsn string) (path, query string, err error) {
	dsn = strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite://"), "sqlite:")
	if dsn == "" || dsn == ":memory:" {
		return "", "", nil
	}
	if rest, ok := strings.CutPrefix(dsn, "file:"); ok {
		path, query, _ = strings.Cut(rest, "?")
		if _, err := url.ParseQuery(query); err != nil {
			return "", "", fmt.Errorf("store: sqlite dsn %q: %w", dsn, err)
		}
		if path == ":memory:" || strings.Contains(query, "mode=memory") {
			return "", "", nil
		}
		return path, query, nil
	}
	return dsn, "", nil
}

// Close closes the database (and removes a temporary one).
func (s *Store) Close() error {
	err := s.db.Close()
	if s.cleanup != nil {
		s.cleanup()
	}
	return err
}

// DB returns the underlying connection pool, for the job queue (River), which shares the database.
func (s *Store) DB() *sqlx.DB { return s.db }

// Dialect reports which database the Store talks to.
func (s *Store) Dialect() Dialect { return s.dialect }

// Tx is a database transaction. Its repository methods are those of Store, run inside the transaction.
type Tx struct {
	queries
	tx *sqlx.Tx
}

// SQL returns the underlying *sql.Tx, so that other libraries (River's InsertTx) can act in the same
// transaction.
func (t *Tx) SQL() *sql.Tx { return t.tx.Tx }

// Sqlx returns the underlying *sqlx.Tx.
func (t *Tx) Sqlx() *sqlx.Tx { return t.tx }

// Tx runs fn in a transaction, committing if fn returns nil and rolling back otherwise (or if fn panics).
// On SQLite the transaction is IMMEDIATE: it takes the write lock at its start, so read-then-write
// sequences inside fn cannot fail half-way with "database is locked".
func (s *Store) Tx(ctx context.Context, fn func(tx *Tx) error) (err error) {
	sqltx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin transaction: %w", err)
	}
	done := false
	defer func() {
		if !done {
			sqltx.Rollback()
		}
	}()
	if err := fn(&Tx{queries: queries{x: sqltx}, tx: sqltx}); err != nil {
		return err
	}
	done = true
	if err := sqltx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// queries is the single set of repository methods, run on a pool or in a transaction.
type queries struct {
	x        sqlx.ExtContext
	lockPath string
}

func (q queries) get(ctx context.Context, dst any, query string, args ...any) error {
	err := sqlx.GetContext(ctx, q.x, dst, q.x.Rebind(query), args...)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

func (q queries) selectAll(ctx context.Context, dst any, query string, args ...any) error {
	return sqlx.SelectContext(ctx, q.x, dst, q.x.Rebind(query), args...)
}

func (q queries) exec(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := q.x.ExecContext(ctx, q.x.Rebind(query), args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// execOne runs a statement that must change exactly one row; no row changed is ErrNotFound.
func (q queries) execOne(ctx context.Context, query string, args ...any) error {
	n, err := q.exec(ctx, query, args...)
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

// Time is a point in time stored as BIGINT unix microseconds (UTC). The zero Time is stored as NULL.
type Time struct{ time.Time }

// NewTime returns t as a Time, truncated to the microsecond the database keeps.
func NewTime(t time.Time) Time { return Time{t.UTC().Truncate(time.Microsecond)} }

// Scan implements sql.Scanner.
func (t *Time) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		t.Time = time.Time{}
	case int64:
		t.Time = time.UnixMicro(v).UTC()
	default:
		return fmt.Errorf("store: cannot scan %T into Time", src)
	}
	return nil
}

// Value implements driver.Valuer.
func (t Time) Value() (driver.Value, error) {
	if t.IsZero() {
		return nil, nil
	}
	return t.UnixMicro(), nil
}

// micros converts t to the stored form, for use as a query argument.
func micros(t time.Time) int64 { return t.UnixMicro() }
