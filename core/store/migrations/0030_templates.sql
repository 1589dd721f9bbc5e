-- Saved templates: a video document with {{name}} placeholders and its variable declarations (JSON), per
-- account, versioned: version starts at 1 and every update adds one. A task made from a template records
-- which template and version it came from.
CREATE TABLE templates (
    id          TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES accounts (id),
    name        TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    config      TEXT NOT NULL,
    variables   TEXT NOT NULL,
    version     BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX templates_account ON templates (account_id, created_at);
ALTER TABLE tasks ADD COLUMN template_id TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN template_version BIGINT NOT NULL DEFAULT 0;
