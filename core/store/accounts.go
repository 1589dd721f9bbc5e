package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sync/atomic"
	"time"
)

// ErrInsufficientCredits is returned by AdjustCredits when a charge would take the balance below zero.
var ErrInsufficientCredits = errors.New("store: insufficient credits")

// ErrQuotaExceeded is returned by AddStorageUsed when the account's files would exceed its quota.
var ErrQuotaExceeded = errors.New("store: storage quota exceeded")

// Account statuses.
const (
	AccountActive  = "active"
	AccountDeleted = "deleted"
	// AccountDisabled is an account an operator turned off: its keys fail as USER_NOT_FOUND, like a deleted
	// one's, but it can be turned on again.
	AccountDisabled = "disabled"
)

// Account owns API keys, credits, tasks, previews and files.
type Account struct {
	ID            string `db:"id"`
	Name          string `db:"name"`
	Credits       int64  `db:"credits"`      // current balance; the sum of the account's ledger rows
	StorageUsed   int64  `db:"storage_used"` // bytes of uploaded files
	WebhookSecret string `db:"webhook_secret"`
	Status        string `db:"status"` // AccountActive, AccountDisabled or AccountDeleted
	Admin         bool   `db:"admin"`  // an operator: the console shows it every account and the workers
	CreatedAt     Time   `db:"created_at"`
	DeletedAt     Time   `db:"deleted_at"`
}

// LedgerEntry is one change of an account's balance: a grant, a charge or a refund.
type LedgerEntry struct {
	ID           string `db:"id"`
	AccountID    string `db:"account_id"`
	Delta        int64  `db:"delta"` // positive for grants and refunds, negative for charges
	BalanceAfter int64  `db:"balance_after"`
	Reason       string `db:"reason"`
	TaskID       string `db:"task_id"`
	RenderTaskID string `db:"render_task_id"`
	CreatedAt    Time   `db:"created_at"`
}

const accountColumns = `id, name, credits, storage_used, webhook_secret, status, admin, created_at, deleted_at`

// InsertAccount adds an account with a zero balance; grant credits with Tx.AdjustCredits.
func (q queries) InsertAccount(ctx context.Context, a Account) error {
	_, err := q.exec(ctx, `INSERT INTO accounts (id, name, credits, storage_used, webhook_secret, status, created_at)
VALUES (?, ?, 0, 0, ?, ?, ?)`, a.ID, a.Name, a.WebhookSecret, a.Status, a.CreatedAt)
	if err != nil {
		return fmt.Errorf("store: insert account: %w", err)
	}
	return nil
}

// GetAccount returns the account with id, deleted or not.
func (q queries) GetAccount(ctx context.Context, id string) (Account, error) {
	var a Account
	err := q.get(ctx, &a, `SELECT `+accountColumns+` FROM accounts WHERE id = ?`, id)
	return a, wrap(err, "get account")
}

// ListAccounts returns every account, oldest first.
func (q queries) ListAccounts(ctx context.Context) ([]Account, error) {
	var out []Account
	err := q.selectAll(ctx, &out, `SELECT `+accountColumns+` FROM accounts ORDER BY created_at, id`)
	return out, wrap(err, "list accounts")
}

// MarkAccountDeleted marks an account deleted; its keys then authenticate as "user not found".
func (q queries) MarkAccountDeleted(ctx context.Context, id string, at time.Time) error {
	err := q.execOne(ctx, `UPDATE accounts SET status = ?, deleted_at = ? WHERE id = ? AND status <> ?`,
		AccountDeleted, micros(at), id, AccountDeleted)
	return wrap(err, "delete account")
}

// SetAccountStatus turns an account that is not deleted on (AccountActive) or off (AccountDisabled).
func (q queries) SetAccountStatus(ctx context.Context, id, status string) error {
	err := q.execOne(ctx, `UPDATE accounts SET status = ? WHERE id = ? AND status <> ?`, status, id, AccountDeleted)
	return wrap(err, "set account status")
}

// SetAccountAdmin makes an account an operator, or not.
func (q queries) SetAccountAdmin(ctx context.Context, id string, admin bool) error {
	err := q.execOne(ctx, `UPDATE accounts SET admin = ? WHERE id = ?`, admin, id)
	return wrap(err, "set account admin")
}

// AdjustCredits changes the balance of an account by e.Delta and records e in the ledger, in this
// transaction; e.ID, e.AccountID (= accountID), e.BalanceAfter and e.CreatedAt (when zero) are filled in. A
// negative delta that would take the balance below zero changes nothing and returns ErrInsufficientCredits;
// an unknown account is ErrNotFound. It returns the new balance.
func (t *Tx) AdjustCredits(ctx context.Context, accountID string, e LedgerEntry) (LedgerEntry, error) {
	n, err := t.exec(ctx, `UPDATE accounts SET credits = credits + ? WHERE id = ? AND credits + ? >= 0`,
		e.Delta, accountID, e.Delta)
	if err != nil {
		return e, fmt.Errorf("store: adjust credits: %w", err)
	}
	if n == 0 {
		if _, err := t.GetAccount(ctx, accountID); err != nil {
			return e, err
		}
		return e, ErrInsufficientCredits
	}
	if err := t.get(ctx, &e.BalanceAfter, `SELECT credits FROM accounts WHERE id = ?`, accountID); err != nil {
		return e, wrap(err, "read balance")
	}
	e.ID = randomID("led_")
	e.AccountID = accountID
	if e.CreatedAt.IsZero() {
		e.CreatedAt = NewTime(time.Now())
	}
	_, err = t.exec(ctx, `INSERT INTO credit_ledger (id, account_id, delta, balance_after, reason, task_id, render_task_id, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, e.ID, e.AccountID, e.Delta, e.BalanceAfter, e.Reason, e.TaskID, e.RenderTaskID, e.CreatedAt)
	return e, wrap(err, "insert ledger entry")
}

// Ledger returns the account's ledger, newest first.
func (q queries) Ledger(ctx context.Context, accountID string) ([]LedgerEntry, error) {
	var out []LedgerEntry
	err := q.selectAll(ctx, &out, `SELECT id, account_id, delta, balance_after, reason, task_id, render_task_id, created_at
FROM credit_ledger WHERE account_id = ? ORDER BY created_at DESC, id DESC`, accountID)
	return out, wrap(err, "list ledger")
}

// AddStorageUsed adds delta bytes (negative to release) to the account's storage use. With quota > 0, an
// increase that would exceed quota changes nothing and returns ErrQuotaExceeded.
func (q queries) AddStorageUsed(ctx context.Context, accountID string, delta, quota int64) error {
	n, err := q.exec(ctx, `UPDATE accounts SET storage_used = storage_used + ?
WHERE id = ? AND (? <= 0 OR ? <= 0 OR storage_used + ? <= ?)`, delta, accountID, delta, quota, delta, quota)
	if err != nil {
		return fmt.Errorf("store: update storage use: %w", err)
	}
	if n == 0 {
		if _, err := q.GetAccount(ctx, accountID); err != nil {
			return err
		}
		return ErrQuotaExceeded
	}
	return nil
}

// lastIDTime is the nanosecond time of the latest id made by randomID, kept strictly increasing.
var lastIDTime atomic.Int64

// randomID returns prefix, 16 hex digits of the current time in nanoseconds (strictly increasing within
// the process) and 8 random hex digits: ids that sort in the order rows were made, which breaks ties
// between rows with the same created_at (the ledger, webhook attempts).
func randomID(prefix string) string {
	now := time.Now().UnixNano()
	for {
		last := lastIDTime.Load()
		if now <= last {
			now = last + 1
		}
		if lastIDTime.CompareAndSwap(last, now) {
			break
		}
	}
	var b [4]byte
	rand.Read(b[:])
	return fmt.Sprintf("%s%016x%s", prefix, now, hex.EncodeToString(b[:]))
}

// wrap adds context to err, leaving ErrNotFound recognisable with errors.Is and nil as nil.
func wrap(err error, what string) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("store: %s: %w", what, err)
}

// SetWebhookSecret replaces the account's webhook signing secret.
func (q queries) SetWebhookSecret(ctx context.Context, id, secret string) error {
	err := q.execOne(ctx, `UPDATE accounts SET webhook_secret = ? WHERE id = ?`, secret, id)
	return wrap(err, "set webhook secret")
}
