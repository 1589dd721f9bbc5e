//go:build !unix

package store

import "context"

// lockFile is a no-op where flock is unavailable: SQLite's immediate transactions still serialize the
// migrations, but a losing process may fail and need a restart.
func lockFile(ctx context.Context, path string) (unlock func(), err error) {
	return func() {}, nil
}
