package core

import (
	"context"
	"time"

	"github.com/framecast/framecast/core/store"
)

// Operators are accounts flagged admin (`framecast keys create --admin`, or SetAccountAdmin). In the console
// they see every account, create and disable accounts, grant credits and look at the render queue. The
// Operator… operations take the id of the account asking and refuse anyone else.

// SetAccountAdmin makes an account an operator, or not: the server's own command line does this, not the
// API.
func (s *Service) SetAccountAdmin(ctx context.Context, accountID string, admin bool) error {
	return notFoundOrNil(s.store.SetAccountAdmin(ctx, accountID, admin), "Account", accountID)
}

// NotOperator is the error of an operator operation asked for by an account that is not one.
func NotOperator() *Error {
	return NewError(CodeNotFound, "This is for operators only: ask an operator to flag your account admin")
}

// requireOperator fails unless accountID is an active operator account.
func (s *Service) requireOperator(ctx context.Context, accountID string) error {
	a, err := s.store.GetAccount(ctx, accountID)
	if err != nil {
		return notFound(err, "Account", accountID)
	}
	if !a.Admin || a.Status != store.AccountActive {
		return NotOperator()
	}
	return nil
}

// OperatorListAccounts returns every account, oldest first.
func (s *Service) OperatorListAccounts(ctx context.Context, operatorID string) ([]Account, error) {
	if err := s.requireOperator(ctx, operatorID); err != nil {
		return nil, err
	}
	all, err := s.store.ListAccounts(ctx)
	return all, fail(err)
}

// OperatorCreateAccount makes an account (CreateAccount) for an operator.
func (s *Service) OperatorCreateAccount(ctx context.Context, operatorID, name string) (Account, error) {
	if err := s.requireOperator(ctx, operatorID); err != nil {
		return Account{}, err
	}
	return s.CreateAccount(ctx, name)
}

// OperatorGrantCredits adds n credits to an account (AddCredits) for an operator, and returns the balance.
func (s *Service) OperatorGrantCredits(ctx context.Context, operatorID, accountID string, n int64, reason string) (int64, error) {
	if err := s.requireOperator(ctx, operatorID); err != nil {
		return 0, err
	}
	return s.AddCredits(ctx, accountID, n, reason)
}

// OperatorSetAccountDisabled turns an account off (its keys then fail with USER_NOT_FOUND and its console
// sessions end) or on again. An operator cannot turn off its own account.
func (s *Service) OperatorSetAccountDisabled(ctx context.Context, operatorID, accountID string, disabled bool) error {
	if err := s.requireOperator(ctx, operatorID); err != nil {
		return err
	}
	if disabled && accountID == operatorID {
		return InvalidRequest("an operator cannot disable its own account")
	}
	status := store.AccountActive
	if disabled {
		status = store.AccountDisabled
	}
	if err := s.store.SetAccountStatus(ctx, accountID, status); err != nil {
		return notFound(err, "Account", accountID)
	}
	if disabled {
		return fail(s.store.DeleteAccountSessions(ctx, accountID))
	}
	return nil
}

// Overview is what the console's first page shows of an account.
type Overview struct {
	Credits     int64
	StorageUsed int64
	// Since is the start of the week counted: seven days ago.
	Since time.Time
	// Renders and Failed count the renders started since Since, and the failed ones among them.
	Renders, Failed int64
	// Queued and Running count the account's renders waiting for a worker and being drawn.
	Queued, Running int64
}

// AccountOverview returns the account's balance, its renders of the last seven days and its renders in
// the queue.
func (s *Service) AccountOverview(ctx context.Context, accountID string) (Overview, error) {
	a, err := s.store.GetAccount(ctx, accountID)
	if err != nil {
		return Overview{}, notFound(err, "Account", accountID)
	}
	since := s.now().Add(-7 * 24 * time.Hour)
	counts, err := s.store.CountRenders(ctx, accountID, since)
	if err != nil {
		return Overview{}, fail(err)
	}
	o := Overview{Credits: a.Credits, StorageUsed: a.StorageUsed, Since: since}
	for _, c := range counts {
		o.Renders += c.Count
		switch RenderStatus(c.Status) {
		case RenderFailed:
			o.Failed += c.Count
		case RenderQueued:
			o.Queued += c.Count
		case RenderRunning:
			o.Running += c.Count
		}
	}
	return o, nil
}
