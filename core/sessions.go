package core

import (
	"context"
	"errors"
	"time"

	"github.com/framecast/framecast/core/store"
)

// Console sessions: a person signs in to the console with one of the account's API keys and gets a
// session token instead, which the console keeps in a cookie (core knows nothing of cookies). The store
// keeps only the token's SHA-256, the key it was exchanged for and when it was last used, so a session
// ends when:
//   - the person signs out (EndSession),
//   - it was not used for Config.SessionIdleTimeout,
//   - the key it was opened with is revoked or disabled, or the account is disabled or deleted.

// Session is a console session record.
type Session = store.Session

// DefaultSessionIdleTimeout is how long an unused console session lives (Config.SessionIdleTimeout).
const DefaultSessionIdleTimeout = 8 * time.Hour

// sessionTouchInterval is how stale a session's last-used time may get before SessionAccount writes it
// again, so that a page view is not a database write every time.
const sessionTouchInterval = time.Minute

// sessionTokenLength is the number of base62 characters of a session token (238 bits).
const sessionTokenLength = 40

// SessionGrant is a new session: the token to hand to the browser (shown this once; only its hash is
// stored), the session record and its account.
type SessionGrant struct {
	Token   string
	Session Session
	Account Account
}

// CreateSession exchanges a plain API key for a console session. The key's errors are Authenticate's.
func (s *Service) CreateSession(ctx context.Context, plainKey string) (SessionGrant, error) {
	account, err := s.Authenticate(ctx, plainKey)
	if err != nil {
		return SessionGrant{}, err
	}
	key, err := s.store.KeyByHash(ctx, hashKey(plainKey))
	if err != nil {
		return SessionGrant{}, fail(err)
	}
	now := s.now()
	// Sessions left idle are removed here rather than by a timer: a sign-in is rare and cheap to extend.
	if _, err := s.store.DeleteIdleSessions(ctx, now.Add(-s.cfg.SessionIdleTimeout)); err != nil {
		return SessionGrant{}, fail(err)
	}
	token := randomString(base62, sessionTokenLength)
	sess := Session{ID: newID("ses_"), TokenHash: hashKey(token), AccountID: account.ID, KeyID: key.ID,
		CreatedAt: store.NewTime(now), LastSeenAt: store.NewTime(now)}
	if err := s.store.InsertSession(ctx, sess); err != nil {
		return SessionGrant{}, fail(err)
	}
	return SessionGrant{Token: token, Session: sess, Account: account}, nil
}

// ErrNoSession is returned (inside a MISSING_API_KEY *Error) by SessionAccount for a token that names no
// live session: unknown, ended, idle too long, or its key or account turned off. The console answers it
// by asking the person to sign in.
var ErrNoSession = errors.New("no console session")

// noSession is the error of a token without a live session.
func noSession() *Error {
	return NewError(CodeMissingAPIKey, "Sign in again: the console session has ended").WithCause(ErrNoSession)
}

// SessionAccount returns the session of token and its account, and records that it was used. A token
// without a live session is an error wrapping ErrNoSession.
func (s *Service) SessionAccount(ctx context.Context, token string) (Session, Account, error) {
	if token == "" {
		return Session{}, Account{}, noSession()
	}
	sess, err := s.store.SessionByTokenHash(ctx, hashKey(token))
	if errors.Is(err, store.ErrNotFound) {
		return Session{}, Account{}, noSession()
	}
	if err != nil {
		return Session{}, Account{}, fail(err)
	}
	now := s.now()
	if now.Sub(sess.LastSeenAt.Time) > s.cfg.SessionIdleTimeout {
		_ = s.store.DeleteSession(ctx, sess.ID)
		return Session{}, Account{}, noSession()
	}
	keys, err := s.store.ListKeys(ctx, sess.AccountID)
	if err != nil {
		return Session{}, Account{}, fail(err)
	}
	live := false
	for _, k := range keys {
		live = live || k.ID == sess.KeyID && k.Status == store.KeyActive
	}
	account, err := s.store.GetAccount(ctx, sess.AccountID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return Session{}, Account{}, fail(err)
	}
	if !live || err != nil || account.Status != store.AccountActive {
		_ = s.store.DeleteSession(ctx, sess.ID)
		return Session{}, Account{}, noSession()
	}
	if now.Sub(sess.LastSeenAt.Time) > sessionTouchInterval {
		if err := s.store.TouchSession(ctx, sess.ID, now); err != nil {
			return Session{}, Account{}, fail(err)
		}
		sess.LastSeenAt = store.NewTime(now)
	}
	return sess, account, nil
}

// EndSession ends the session of token (signing out); a token without a session is no error.
func (s *Service) EndSession(ctx context.Context, token string) error {
	sess, err := s.store.SessionByTokenHash(ctx, hashKey(token))
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fail(err)
	}
	return fail(s.store.DeleteSession(ctx, sess.ID))
}
