package core

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/framecast/framecast/core/store"
)

// Account is an account record: id, name, balance, storage use and webhook secret.
type Account = store.Account

// Key is an API key record. Its plain text is returned once, by CreateKey, and never stored.
type Key = store.Key

// keyTouchInterval is how stale a key's last-used time may get before Authenticate writes it again, so
// that authenticating is not a database write on every request.
const keyTouchInterval = time.Minute

// CreateAccount makes an account named name with a new webhook secret and grants it the configured
// starting credits (a ledger row).
func (s *Service) CreateAccount(ctx context.Context, name string) (Account, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return Account{}, InvalidRequest("account name is required")
	}
	now := store.NewTime(s.now())
	a := Account{ID: newID("acc_"), Name: name, WebhookSecret: newWebhookSecret(), Status: store.AccountActive, CreatedAt: now}
	err := s.store.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.InsertAccount(ctx, a); err != nil {
			return err
		}
		if s.cfg.DefaultCredits > 0 {
			e, err := tx.AdjustCredits(ctx, a.ID, store.LedgerEntry{Delta: s.cfg.DefaultCredits, Reason: "initial grant", CreatedAt: now})
			if err != nil {
				return err
			}
			a.Credits = e.BalanceAfter
		}
		return nil
	})
	if err != nil {
		return Account{}, fail(err)
	}
	return a, nil
}

// GetAccount returns an account (also a deleted one: check Status).
func (s *Service) GetAccount(ctx context.Context, accountID string) (Account, error) {
	a, err := s.store.GetAccount(ctx, accountID)
	if err != nil {
		return Account{}, notFound(err, "Account", accountID)
	}
	return a, nil
}

// DeleteAccount marks an account deleted: its keys then fail with USER_NOT_FOUND. Its records are kept.
func (s *Service) DeleteAccount(ctx context.Context, accountID string) error {
	return notFoundOrNil(s.store.MarkAccountDeleted(ctx, accountID, s.now()), "Account", accountID)
}

// CreateKey makes an API key for the account and returns its plain text, "sk-" and 40 base62 characters,
// which is shown this once: only its SHA-256 is stored.
func (s *Service) CreateKey(ctx context.Context, accountID, name string) (plain string, key Key, err error) {
	a, err := s.store.GetAccount(ctx, accountID)
	if err != nil {
		return "", Key{}, notFound(err, "Account", accountID)
	}
	if a.Status != store.AccountActive {
		return "", Key{}, NotFound("Account", accountID)
	}
	plain = newPlainKey()
	key = Key{ID: newID("key_"), AccountID: accountID, Hash: hashKey(plain), Prefix: plain[:keyShownPrefix],
		Name: strings.TrimSpace(name), Status: store.KeyActive, CreatedAt: store.NewTime(s.now())}
	if err := s.store.InsertKey(ctx, key); err != nil {
		return "", Key{}, fail(err)
	}
	return plain, key, nil
}

// ListKeys returns the account's keys, newest first.
func (s *Service) ListKeys(ctx context.Context, accountID string) ([]Key, error) {
	keys, err := s.store.ListKeys(ctx, accountID)
	return keys, fail(err)
}

// RevokeKey revokes one of the account's keys for good: it then fails with INVALID_API_KEY.
// Its console sessions end with it.
func (s *Service) RevokeKey(ctx context.Context, accountID, keyID string) error {
	if err := s.store.SetKeyStatus(ctx, accountID, keyID, store.KeyRevoked, s.now()); err != nil {
		return notFound(err, "API key", keyID)
	}
	return fail(s.store.DeleteKeySessions(ctx, accountID, keyID))
}

// SetKeyActive enables or disables one of the account's keys; a disabled key fails with API_KEY_INACTIVE.
func (s *Service) SetKeyActive(ctx context.Context, accountID, keyID string, active bool) error {
	status := store.KeyInactive
	if active {
		status = store.KeyActive
	}
	return notFoundOrNil(s.store.SetKeyStatus(ctx, accountID, keyID, status, s.now()), "API key", keyID)
}

// Authenticate returns the account of a plain API key, or the API's authentication error: MISSING_API_KEY
// (empty), INVALID_API_KEY_FORMAT (not "sk-" and 32+ key characters), INVALID_API_KEY (unknown or
// revoked), API_KEY_INACTIVE (disabled) or USER_NOT_FOUND (account deleted).
func (s *Service) Authenticate(ctx context.Context, plainKey string) (Account, error) {
	if plainKey == "" {
		return Account{}, MissingAPIKey()
	}
	if !wellFormedKey(plainKey) {
		return Account{}, InvalidAPIKeyFormat()
	}
	key, err := s.store.KeyByHash(ctx, hashKey(plainKey))
	if errors.Is(err, store.ErrNotFound) {
		return Account{}, InvalidAPIKey()
	}
	if err != nil {
		return Account{}, fail(err)
	}
	switch key.Status {
	case store.KeyActive:
	case store.KeyInactive:
		return Account{}, APIKeyInactive()
	default:
		return Account{}, InvalidAPIKey()
	}
	a, err := s.store.GetAccount(ctx, key.AccountID)
	if errors.Is(err, store.ErrNotFound) || err == nil && a.Status != store.AccountActive {
		return Account{}, UserNotFound()
	}
	if err != nil {
		return Account{}, fail(err)
	}
	if now := s.now(); now.Sub(key.LastUsedAt.Time) > keyTouchInterval {
		if err := s.store.TouchKey(ctx, a.ID, key.ID, now); err != nil {
			return Account{}, fail(err)
		}
	}
	return a, nil
}

// AddCredits adds n credits (n < 0 takes them away, never below zero) to the account with a ledger row
// giving reason, and returns the new balance.
func (s *Service) AddCredits(ctx context.Context, accountID string, n int64, reason string) (int64, error) {
	if n == 0 {
		return 0, InvalidRequest("the number of credits must not be zero")
	}
	if strings.TrimSpace(reason) == "" {
		reason = "manual adjustment"
	}
	var balance int64
	err := s.store.Tx(ctx, func(tx *store.Tx) error {
		e, err := tx.AdjustCredits(ctx, accountID, store.LedgerEntry{Delta: n, Reason: reason, CreatedAt: store.NewTime(s.now())})
		balance = e.BalanceAfter
		return err
	})
	switch {
	case errors.Is(err, store.ErrInsufficientCredits):
		a, _ := s.store.GetAccount(ctx, accountID)
		return 0, InsufficientCredits(-n, a.Credits)
	case err != nil:
		return 0, notFound(err, "Account", accountID)
	}
	return balance, nil
}

// LedgerEntry is one change of an account's credits: a grant, a render's charge or its refund. It is the
// store's record, named here so that adapters (the console's credits page) can declare the operations they
// use without importing core/store.
type LedgerEntry = store.LedgerEntry

// Ledger returns the account's credit ledger, newest first.
func (s *Service) Ledger(ctx context.Context, accountID string) ([]LedgerEntry, error) {
	l, err := s.store.Ledger(ctx, accountID)
	return l, fail(err)
}

// CreditsResult is the body of GET /api/v1/credits.
type CreditsResult struct {
	Success  bool   `json:"success"`
	Credits  int64  `json:"credits"`
	Currency string `json:"currency"` // always "credits"
}

// GetCredits returns the account's balance.
func (s *Service) GetCredits(ctx context.Context, accountID string) (CreditsResult, error) {
	a, err := s.store.GetAccount(ctx, accountID)
	if err != nil {
		return CreditsResult{}, notFound(err, "Account", accountID)
	}
	return CreditsResult{Success: true, Credits: a.Credits, Currency: "credits"}, nil
}

// WebhookSecretResult is the body of GET /api/v1/webhooks/secret (our addition).
type WebhookSecretResult struct {
	Success bool   `json:"success"`
	Secret  string `json:"secret"`
	// Scheme tells how webhooks are signed with the secret.
	Scheme string `json:"scheme"`
}

// GetWebhookSecret returns the secret the account's webhooks are signed with, so receivers can verify them.
func (s *Service) GetWebhookSecret(ctx context.Context, accountID string) (WebhookSecretResult, error) {
	a, err := s.store.GetAccount(ctx, accountID)
	if err != nil {
		return WebhookSecretResult{}, notFound(err, "Account", accountID)
	}
	return WebhookSecretResult{Success: true, Secret: a.WebhookSecret,
		Scheme: "Standard Webhooks: webhook-signature = v1,base64(HMAC-SHA256(base64-decoded secret after whsec_, id.timestamp.body))"}, nil
}

// notFoundOrNil is notFound for a possibly nil error.
func notFoundOrNil(err error, what, id string) error {
	if err == nil {
		return nil
	}
	return notFound(err, what, id)
}
