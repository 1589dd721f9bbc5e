-- Framecast schema, version 1. One text for SQLite and PostgreSQL: ids are TEXT made in Go, times are
-- BIGINT unix microseconds, flags are TEXT statuses, JSON is TEXT.

CREATE TABLE accounts (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    credits        BIGINT NOT NULL DEFAULT 0,
    storage_used   BIGINT NOT NULL DEFAULT 0,
    webhook_secret TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'active',
    created_at     BIGINT NOT NULL,
    deleted_at     BIGINT
);

CREATE TABLE api_keys (
    id           TEXT PRIMARY KEY,
    account_id   TEXT NOT NULL REFERENCES accounts (id),
    hash         TEXT NOT NULL UNIQUE,
    prefix       TEXT NOT NULL,
    name         TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT 'active',
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at   BIGINT
);
CREATE INDEX api_keys_account ON api_keys (account_id, created_at);

CREATE TABLE credit_ledger (
    id             TEXT PRIMARY KEY,
    account_id     TEXT NOT NULL REFERENCES accounts (id),
    delta          BIGINT NOT NULL,
    balance_after  BIGINT NOT NULL,
    reason         TEXT NOT NULL,
    task_id        TEXT NOT NULL DEFAULT '',
    render_task_id TEXT NOT NULL DEFAULT '',
    created_at     BIGINT NOT NULL
);
CREATE INDEX credit_ledger_account ON credit_ledger (account_id, created_at);

CREATE TABLE tasks (
    id             TEXT PRIMARY KEY,
    account_id     TEXT NOT NULL REFERENCES accounts (id),
    video_task_id  TEXT NOT NULL UNIQUE,
    title          TEXT NOT NULL DEFAULT '',
    category       TEXT NOT NULL,
    status         TEXT NOT NULL,
    config         TEXT NOT NULL,
    metadata       TEXT NOT NULL,
    width          BIGINT NOT NULL,
    height         BIGINT NOT NULL,
    fps            DOUBLE PRECISION NOT NULL,
    duration       DOUBLE PRECISION NOT NULL,
    quality        TEXT NOT NULL,
    cost_credits   BIGINT NOT NULL DEFAULT 0,
    render_task_id TEXT NOT NULL DEFAULT '',
    progress       DOUBLE PRECISION NOT NULL DEFAULT 0,
    error          TEXT NOT NULL DEFAULT '',
    video_key      TEXT NOT NULL DEFAULT '',
    thumbnail_key  TEXT NOT NULL DEFAULT '',
    video_size     BIGINT NOT NULL DEFAULT 0,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    completed_at   BIGINT
);
CREATE INDEX tasks_account ON tasks (account_id, created_at);

CREATE TABLE renders (
    id          TEXT PRIMARY KEY,
    task_id     TEXT NOT NULL,
    account_id  TEXT NOT NULL REFERENCES accounts (id),
    status      TEXT NOT NULL,
    cost        BIGINT NOT NULL,
    quality     TEXT NOT NULL,
    num_workers BIGINT NOT NULL,
    webhook_url TEXT NOT NULL DEFAULT '',
    error       TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL,
    started_at  BIGINT,
    finished_at BIGINT
);
CREATE INDEX renders_task ON renders (task_id);

CREATE TABLE previews (
    id         TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    config     TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX previews_expiry ON previews (expires_at);

CREATE TABLE files (
    id         TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    name       TEXT NOT NULL,
    blob_key   TEXT NOT NULL UNIQUE,
    kind       TEXT NOT NULL,
    mime_type  TEXT NOT NULL,
    size       BIGINT NOT NULL,
    width      BIGINT NOT NULL DEFAULT 0,
    height     BIGINT NOT NULL DEFAULT 0,
    duration   DOUBLE PRECISION NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX files_account ON files (account_id, created_at);

CREATE TABLE webhook_attempts (
    id             TEXT PRIMARY KEY,
    account_id     TEXT NOT NULL REFERENCES accounts (id),
    task_id        TEXT NOT NULL,
    render_task_id TEXT NOT NULL,
    webhook_id     TEXT NOT NULL,
    url            TEXT NOT NULL,
    attempt        BIGINT NOT NULL,
    status_code    BIGINT NOT NULL DEFAULT 0,
    error          TEXT NOT NULL DEFAULT '',
    duration_ms    BIGINT NOT NULL DEFAULT 0,
    created_at     BIGINT NOT NULL
);
CREATE INDEX webhook_attempts_task ON webhook_attempts (account_id, task_id, created_at);

CREATE TABLE idempotency_records (
    account_id   TEXT NOT NULL REFERENCES accounts (id),
    idem_key     TEXT NOT NULL,
    method_path  TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status       BIGINT NOT NULL,
    body         TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (account_id, idem_key, method_path)
);
CREATE INDEX idempotency_records_age ON idempotency_records (created_at);
