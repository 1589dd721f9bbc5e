// Package storetest provides fresh, migrated databases for tests: SQLite always, and PostgreSQL when the
// environment variable FRAMECAST_TEST_POSTGRES_URL names a server on which the test may create a database.
//
// A test package that uses PostgreSQL runs its tests through Main, which drops the package's database at
// the end:
//
//	func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }
//
// and a test runs its body once per database:
//
//	for _, b := range storetest.Backends(t) {
//		t.Run(b.Name, func(t *testing.T) { s := b.Open(t); … })
//	}
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/framecast/framecast/core/store"
)

// EnvPostgresURL is the environment variable naming the PostgreSQL server for tests.
const EnvPostgresURL = "FRAMECAST_TEST_POSTGRES_URL"

// Backend is one kind of database tests run against.
type Backend struct {
	Name string // "sqlite" or "postgres"
	// DSN returns the DSN of a new, empty database (a fresh file, or a fresh PostgreSQL schema); it is
	// removed when the test ends.
	DSN func(t testing.TB) string
}

// Open opens a Store on a new, empty database and closes it when the test ends.
func (b Backend) Open(t testing.TB) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), b.DSN(t))
	if err != nil {
		t.Fatalf("open %s store: %v", b.Name, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// Backends returns SQLite, and PostgreSQL when EnvPostgresURL is set.
func Backends(t testing.TB) []Backend {
	out := []Backend{{Name: "sqlite", DSN: sqliteDSN}}
	if os.Getenv(EnvPostgresURL) != "" {
		out = append(out, Backend{Name: "postgres", DSN: postgresDSN})
	}
	return out
}

func sqliteDSN(t testing.TB) string {
	return filepath.Join(t.TempDir(), "framecast.db")
}

// pg is the per-process PostgreSQL test database, created on first use and dropped by Main.
var pg struct {
	once  sync.Once
	err   error
	admin *sql.DB // connected to the server's own database, to create and drop the test database
	db    *sql.DB // connected to the test database, to create and drop schemas
	name  string
	url   *url.URL
}

func postgresDSN(t testing.TB) string {
	t.Helper()
	pg.once.Do(createPostgresDatabase)
	if pg.err != nil {
		t.Fatalf("postgres test database: %v", pg.err)
	}
	schema := "t_" + randomHex(6)
	if _, err := pg.db.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() { pg.db.Exec("DROP SCHEMA " + schema + " CASCADE") })
	u := *pg.url
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func createPostgresDatabase() {
	base, err := url.Parse(os.Getenv(EnvPostgresURL))
	if err != nil {
		pg.err = fmt.Errorf("%s: %w", EnvPostgresURL, err)
		return
	}
	pg.admin, err = sql.Open("postgres", base.String())
	if err != nil {
		pg.err = err
		return
	}
	pg.name = "framecast_test_" + randomHex(6)
	if _, err := pg.admin.Exec("CREATE DATABASE " + pg.name); err != nil {
		pg.err = fmt.Errorf("create database: %w", err)
		return
	}
	u := *base
	u.Path = "/" + pg.name
	pg.url = &u
	pg.db, pg.err = sql.Open("postgres", u.String())
}

// Main runs the tests and then drops the PostgreSQL test database, if one was made. It returns the exit code
// for os.Exit.
func Main(m *testing.M) int {
	code := m.Run()
	if pg.db != nil {
		pg.db.Close()
	}
	if pg.admin != nil {
		if pg.name != "" {
			if _, err := pg.admin.Exec("DROP DATABASE IF EXISTS " + pg.name + " WITH (FORCE)"); err != nil {
				fmt.Fprintf(os.Stderr, "storetest: drop database %s: %v\n", pg.name, err)
			}
		}
		pg.admin.Close()
	}
	return code
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
