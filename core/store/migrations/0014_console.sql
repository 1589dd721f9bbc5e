-- The console: operator accounts (admin), a way to disable an account, and the browser sessions of people
-- signed in with an API key. Only a hash of a session's token is stored; a session names the key it was
-- opened with, so that revoking the key ends it.
ALTER TABLE accounts ADD COLUMN admin BOOLEAN NOT NULL DEFAULT FALSE;
CREATE TABLE console_sessions (
    id           TEXT PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE,
    account_id   TEXT NOT NULL REFERENCES accounts (id),
    key_id       TEXT NOT NULL REFERENCES api_keys (id),
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
CREATE INDEX console_sessions_account ON console_sessions (account_id);
CREATE INDEX console_sessions_last_seen ON console_sessions (last_seen_at);
