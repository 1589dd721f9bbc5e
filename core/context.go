package core

import "context"

type accountCtxKey struct{}

// WithAccountID returns ctx carrying the id of the account a call acts for: adapters put it there once
// they have authenticated the caller (httpapi from the API key, mcp for its stdio account), and hand it to
// the operations they call.
func WithAccountID(ctx context.Context, accountID string) context.Context {
	return context.WithValue(ctx, accountCtxKey{}, accountID)
}

// AccountIDFrom returns the account id put in ctx by WithAccountID, "" if none.
func AccountIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(accountCtxKey{}).(string)
	return id
}
