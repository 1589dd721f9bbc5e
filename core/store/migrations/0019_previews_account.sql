-- The per-account caps on live previews and stored document bytes count an account's previews.
CREATE INDEX previews_account ON previews (account_id, expires_at);
