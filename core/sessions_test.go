package core

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestConsoleSessions: a key is exchanged for a session whose token is never stored; the session ends on
// sign-out, when idle too long, when its key is revoked and when its account is disabled.
func TestConsoleSessions(t *testing.T) {
	ctx := context.Background()
	forEachBackend(t, Config{}, func(t *testing.T, e *env) {
		s, a := e.svc, e.account
		plain, key, err := s.CreateKey(ctx, a.ID, "browser")
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.CreateSession(ctx, "sk-unknownunknownunknownunknownunknown1234")
		wantCode(t, err, CodeInvalidAPIKey)

		g := must[SessionGrant](t)(s.CreateSession(ctx, plain))
		if g.Account.ID != a.ID || g.Session.KeyID != key.ID || len(g.Token) < 40 || g.Session.TokenHash == g.Token ||
			strings.Contains(g.Session.TokenHash, g.Token) {
			t.Fatalf("grant %+v", g)
		}
		stored, err := s.store.SessionByTokenHash(ctx, hashKey(g.Token))
		if err != nil || stored.ID != g.Session.ID {
			t.Fatalf("stored session %+v %v", stored, err)
		}
		sess, acct, err := s.SessionAccount(ctx, g.Token)
		if err != nil || sess.ID != g.Session.ID || acct.ID != a.ID {
			t.Fatalf("session account: %+v %+v %v", sess, acct, err)
		}
		if _, _, err := s.SessionAccount(ctx, g.Token+"x"); !errors.Is(err, ErrNoSession) {
			t.Fatalf("a wrong token: %v", err)
		}

		// Used within the idle timeout, the session lives on; left idle longer, it ends.
		e.advance(s.cfg.SessionIdleTimeout - time.Minute)
		if _, _, err := s.SessionAccount(ctx, g.Token); err != nil {
			t.Fatalf("used in time: %v", err)
		}
		e.advance(s.cfg.SessionIdleTimeout - time.Minute)
		if _, _, err := s.SessionAccount(ctx, g.Token); err != nil {
			t.Fatalf("used in time again (the idle clock restarts at each use): %v", err)
		}
		e.advance(s.cfg.SessionIdleTimeout + time.Second)
		if _, _, err := s.SessionAccount(ctx, g.Token); !errors.Is(err, ErrNoSession) {
			t.Fatalf("idle session: %v", err)
		}

		// Sign-out.
		g = must[SessionGrant](t)(s.CreateSession(ctx, plain))
		if err := s.EndSession(ctx, g.Token); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.SessionAccount(ctx, g.Token); !errors.Is(err, ErrNoSession) {
			t.Fatalf("after sign-out: %v", err)
		}

		// Revoking or disabling the key ends its sessions; another key's session lives on.
		other, _, err := s.CreateKey(ctx, a.ID, "other")
		if err != nil {
			t.Fatal(err)
		}
		g = must[SessionGrant](t)(s.CreateSession(ctx, plain))
		g2 := must[SessionGrant](t)(s.CreateSession(ctx, other))
		if err := s.RevokeKey(ctx, a.ID, key.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.SessionAccount(ctx, g.Token); !errors.Is(err, ErrNoSession) {
			t.Fatalf("after revoking its key: %v", err)
		}
		if _, _, err := s.SessionAccount(ctx, g2.Token); err != nil {
			t.Fatalf("another key's session: %v", err)
		}

		// An operator disables the account: its sessions end and its keys stop working.
		op := e.newAccount(t, "operator")
		if _, err := s.OperatorListAccounts(ctx, op.ID); CodeOf(err) != CodeNotFound {
			t.Fatalf("not yet an operator: %v", err)
		}
		if err := s.SetAccountAdmin(ctx, op.ID, true); err != nil {
			t.Fatal(err)
		}
		all := must[[]Account](t)(s.OperatorListAccounts(ctx, op.ID))
		if len(all) != 2 || !all[1].Admin || all[0].Admin {
			t.Fatalf("accounts seen by an operator: %+v", all)
		}
		wantCode(t, s.OperatorSetAccountDisabled(ctx, op.ID, op.ID, true), CodeInvalidRequest)
		if err := s.OperatorSetAccountDisabled(ctx, op.ID, a.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.SessionAccount(ctx, g2.Token); !errors.Is(err, ErrNoSession) {
			t.Fatalf("after disabling the account: %v", err)
		}
		_, err = s.Authenticate(ctx, other)
		wantCode(t, err, CodeUserNotFound)
		if err := s.OperatorSetAccountDisabled(ctx, op.ID, a.ID, false); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Authenticate(ctx, other); err != nil {
			t.Fatalf("enabled again: %v", err)
		}
		if n := must[int64](t)(s.OperatorGrantCredits(ctx, op.ID, a.ID, 5, "thanks")); n != a.Credits+5 {
			t.Fatalf("balance after a grant: %d", n)
		}
	})
}
