package core

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/framecast/framecast/core/store"
)

func TestAccountsAndKeys(t *testing.T) {
	ctx := context.Background()
	forEachBackend(t, Config{}, func(t *testing.T, e *env) {
		s := e.svc
		a := e.account
		if a.Credits != DefaultCredits || !strings.HasPrefix(a.WebhookSecret, "whsec_") || !strings.HasPrefix(a.ID, "acc_") {
			t.Fatalf("new account %+v", a)
		}
		ledger := must[[]store.LedgerEntry](t)(s.Ledger(ctx, a.ID))
		if len(ledger) != 1 || ledger[0].Delta != DefaultCredits {
			t.Fatalf("ledger of a new account: %+v", ledger)
		}
		if got := must[CreditsResult](t)(s.GetCredits(ctx, a.ID)); jsonKeys(t, got) != "credits,currency,success" || got.Credits != 1000 || got.Currency != "credits" {
			t.Fatalf("credits %+v", got)
		}
		_, err := s.CreateAccount(ctx, "  ")
		wantCode(t, err, CodeInvalidRequest)

		plain, key, err := s.CreateKey(ctx, a.ID, "ci")
		if err != nil {
			t.Fatal(err)
		}
		if !regexp.MustCompile(`^sk-[0-9A-Za-z]{40}$`).MatchString(plain) {
			t.Fatalf("key %q", plain)
		}
		if key.Hash != hashKey(plain) || strings.Contains(key.Hash, plain[3:]) || !strings.HasPrefix(plain, key.Prefix) || len(key.Prefix) >= len(plain) {
			t.Fatalf("stored key %+v", key)
		}
		got, err := s.Authenticate(ctx, plain)
		if err != nil || got.ID != a.ID {
			t.Fatalf("authenticate: %+v %v", got, err)
		}
		_, _, err = s.CreateKey(ctx, "acc_nope", "")
		wantCode(t, err, CodeNotFound)

		for key, code := range map[string]string{
			"":                              CodeMissingAPIKey,
			"abc":                           CodeInvalidAPIKeyFormat,
			"sk-short":                      CodeInvalidAPIKey, // shaped sk-…, just unknown
			"sk-not a key!":                 CodeInvalidAPIKeyFormat,
			"pk-" + plain[3:]:               CodeInvalidAPIKeyFormat,
			"sk-" + strings.Repeat("x", 40): CodeInvalidAPIKey,
		} {
			_, err := s.Authenticate(ctx, key)
			wantCode(t, err, code)
		}

		if err := s.SetKeyActive(ctx, a.ID, key.ID, false); err != nil {
			t.Fatal(err)
		}
		_, err = s.Authenticate(ctx, plain)
		wantCode(t, err, CodeAPIKeyInactive)
		if err := s.SetKeyActive(ctx, a.ID, key.ID, true); err != nil {
			t.Fatal(err)
		}
		other := e.newAccount(t, "bob")
		wantCode(t, s.RevokeKey(ctx, other.ID, key.ID), CodeNotFound)
		if err := s.RevokeKey(ctx, a.ID, key.ID); err != nil {
			t.Fatal(err)
		}
		_, err = s.Authenticate(ctx, plain)
		wantCode(t, err, CodeInvalidAPIKey)
		keys := must[[]Key](t)(s.ListKeys(ctx, a.ID))
		if len(keys) != 1 || keys[0].Status != "revoked" {
			t.Fatalf("keys %+v", keys)
		}

		plainB, _, _ := s.CreateKey(ctx, other.ID, "")
		if err := s.DeleteAccount(ctx, other.ID); err != nil {
			t.Fatal(err)
		}
		_, err = s.Authenticate(ctx, plainB)
		wantCode(t, err, CodeUserNotFound)

		if bal := must[int64](t)(s.AddCredits(ctx, a.ID, 50, "gift")); bal != 1050 {
			t.Fatalf("balance after grant %d", bal)
		}
		_, err = s.AddCredits(ctx, a.ID, -2000, "oops")
		wantCode(t, err, CodeInsufficientCredits)
		_, err = s.AddCredits(ctx, "acc_nope", 5, "")
		wantCode(t, err, CodeNotFound)
		_, err = s.GetCredits(ctx, "acc_nope")
		wantCode(t, err, CodeNotFound)
	})
}
