package jobs

import (
	"context"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/framecast/framecast/core/store/storetest"
)

// riverVersionChecked is the River release whose river_job table lease.go (touch) and rescue.go
// (rescueStuck) were checked against. They write that private table because River has no heartbeat API.
const riverVersionChecked = "v0.51.2"

// riverJobColumns are the river_job columns touch and rescueStuck read or write, with their types on each
// database, as River's migrations at riverVersionChecked create them.
var riverJobColumns = map[string]map[string]string{
	"postgres": {"id": "bigint", "state": "river_job_state", "attempt": "smallint", "max_attempts": "smallint",
		"attempted_at": "timestamp with time zone", "scheduled_at": "timestamp with time zone", "kind": "text"},
	"sqlite": {"id": "integer", "state": "text", "attempt": "integer", "max_attempts": "integer",
		"attempted_at": "timestamp", "scheduled_at": "timestamp", "kind": "text"},
}

// River's private schema, which the heartbeat writes, is what it was checked against: the River version in
// go.mod, and the columns (with their types, read from the real SQLite and PostgreSQL after River's own
// migrations) and job states the SQL of lease.go and rescue.go names. An upgrade fails here, by name,
// until someone reads River's migrations and rescuer again and updates riverVersionChecked.
func TestRiverSchemaPinned(t *testing.T) {
	mod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*github\.com/riverqueue/river (v\S+)`).FindSubmatch(mod)
	if m == nil {
		t.Fatal("go.mod does not require github.com/riverqueue/river")
	}
	if string(m[1]) != riverVersionChecked {
		t.Fatalf("go.mod requires River %s, but the heartbeat (core/jobs/lease.go touch) and rescueStuck (rescue.go) write "+
			"River's private river_job table as River %s defines it: read River's migrations and its job rescuer for the new "+
			"version, check the columns of riverJobColumns and the lease logic, then set riverVersionChecked", m[1], riverVersionChecked)
	}
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			st := b.Open(t)
			if _, err := New(ctx, st, testConfig(t)); err != nil { // applies River's migrations
				t.Fatal(err)
			}
			dialect := "sqlite"
			query := `SELECT name, lower(type) FROM pragma_table_info('river_job')`
			if strings.Contains(strings.ToLower(b.Name), "postgres") {
				dialect = "postgres"
				query = `SELECT column_name, CASE WHEN data_type = 'USER-DEFINED' THEN udt_name ELSE data_type END
FROM information_schema.columns WHERE table_name = 'river_job' AND table_schema = current_schema()`
			}
			rows, err := st.DB().QueryContext(ctx, query)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			got := map[string]string{}
			for rows.Next() {
				var name, typ string
				if err := rows.Scan(&name, &typ); err != nil {
					t.Fatal(err)
				}
				got[name] = typ
			}
			for col, want := range riverJobColumns[dialect] {
				if got[col] != want {
					t.Errorf("river_job.%s is %q on %s; lease.go and rescue.go were written for %q (River %s)", col, got[col], dialect, want, riverVersionChecked)
				}
			}
			if dialect == "postgres" {
				var labels []string
				if err := st.DB().SelectContext(ctx, &labels, `SELECT enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid
WHERE t.typname = 'river_job_state' ORDER BY enumsortorder`); err != nil {
					t.Fatal(err)
				}
				for _, state := range []string{"available", "running"} {
					if !slices.Contains(labels, state) {
						t.Errorf("river_job_state has no %q (labels %q)", state, labels)
					}
				}
			}
		})
	}
}
