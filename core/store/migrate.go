package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// migrationFiles holds the schema, one numbered file per version ("0001_init.sql"). Each file is one text
// for both databases; statements end with a semicolon at the end of a line.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// advisoryLockID is the PostgreSQL advisory lock key held while migrating ("framecast" in ASCII, truncated).
const advisoryLockID int64 = 0x6672616d6563

// migration is one numbered schema change.
type migration struct {
	version    int
	name       string
	statements []string
}

// loadMigrations reads the embedded migrations in version order.
func loadMigrations() ([]migration, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		num, _, ok := strings.Cut(base, "_")
		version, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("store: migration %s: name must start with a number and '_'", base)
		}
		text, err := migrationFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: version, name: base, statements: splitStatements(string(text))})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i := 1; i < len(out); i++ {
		if out[i].version == out[i-1].version {
			return nil, fmt.Errorf("store: two migrations numbered %d", out[i].version)
		}
	}
	return out, nil
}

// splitStatements splits a migration into statements at lines ending in ';', dropping "--" comment lines.
func splitStatements(text string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "--") {
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		if strings.HasSuffix(trimmed, ";") {
			out = append(out, strings.TrimSpace(cur.String()))
			cur.Reset()
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		out = append(out, s)
	}
	return out
}

// migrate applies pending migrations while holding the migration lock (taken here for PostgreSQL, by Open
// for SQLite).
func (s *Store) migrate(ctx context.Context) error {
	migrations, err := loadMigrations()
	if err != nil {
		return err
	}
	switch s.dialect {
	case Postgres:
		return s.WithAdvisoryLock(ctx, advisoryLockID, func(conn *sqlx.Conn) error {
			return applyMigrations(ctx, conn.BeginTxx, migrations)
		})
	default: // SQLite: Open holds the file lock
		return applyMigrations(ctx, s.db.BeginTxx, migrations)
	}
}

// WithAdvisoryLock runs fn while a dedicated connection holds the PostgreSQL session-level advisory lock
// key, waiting for it first, and releases it after. Processes that start together use it to run
// migrations one at a time: this package's own under advisoryLockID, River's (package jobs) under another
// key. A session lock belongs to one connection, so fn gets that connection; work done on other
// connections is still excluded, as long as every migrating process takes the same key. SQLite has no
// such lock (Open holds a file lock instead): there it is an error.
func (s *Store) WithAdvisoryLock(ctx context.Context, key int64, fn func(conn *sqlx.Conn) error) error {
	if s.dialect != Postgres {
		return errors.New("store: advisory locks are PostgreSQL's; SQLite is locked by Open")
	}
	conn, err := s.db.Connx(ctx)
	if err != nil {
		return fmt.Errorf("store: lock connection: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", key); err != nil {
		return fmt.Errorf("store: take advisory lock %#x: %w", key, err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", key)
	return fn(conn)
}

// applyMigrations records applied versions in schema_migrations and applies the others, each in its own
// transaction.
func applyMigrations(ctx context.Context, begin func(context.Context, *sql.TxOptions) (*sqlx.Tx, error), migrations []migration) error {
	tx, err := begin(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin migration: %w", err)
	}
	_, err = tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
    version    BIGINT PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at BIGINT NOT NULL
)`)
	var applied []int
	if err == nil {
		err = tx.SelectContext(ctx, &applied, "SELECT version FROM schema_migrations")
	}
	if err == nil {
		err = tx.Commit()
	} else {
		tx.Rollback()
	}
	if err != nil {
		return fmt.Errorf("store: read schema version: %w", err)
	}
	done := map[int]bool{}
	for _, v := range applied {
		done[v] = true
	}
	for _, m := range migrations {
		if done[m.version] {
			continue
		}
		if err := applyMigration(ctx, begin, m); err != nil {
			return err
		}
	}
	return nil
}

func applyMigration(ctx context.Context, begin func(context.Context, *sql.TxOptions) (*sqlx.Tx, error), m migration) error {
	tx, err := begin(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin migration %s: %w", m.name, err)
	}
	defer tx.Rollback()
	for _, stmt := range m.statements {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("store: migration %s: %w\n%s", m.name, err, stmt)
		}
	}
	insert := tx.Rebind("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)")
	if _, err := tx.ExecContext(ctx, insert, m.version, m.name, micros(time.Now())); err != nil {
		return fmt.Errorf("store: record migration %s: %w", m.name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: commit migration %s: %w", m.name, err)
	}
	return nil
}
