-- Batches: one template rendered with many variable sets. Each item is an ordinary task that carries the
-- batch's id and its index in the batch; the batch keeps what it was asked and when it ended.
CREATE TABLE batches (
    id               TEXT PRIMARY KEY,
    account_id       TEXT NOT NULL REFERENCES accounts (id),
    template_id      TEXT NOT NULL,
    template_version BIGINT NOT NULL,
    status           TEXT NOT NULL,
    item_count       BIGINT NOT NULL,
    total_cost       BIGINT NOT NULL,
    webhook_url      TEXT NOT NULL DEFAULT '',
    metadata         TEXT NOT NULL,
    created_at       BIGINT NOT NULL,
    completed_at     BIGINT
);
CREATE INDEX batches_account ON batches (account_id, created_at);
ALTER TABLE tasks ADD COLUMN batch_id TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN batch_index BIGINT NOT NULL DEFAULT 0;
CREATE INDEX tasks_batch ON tasks (batch_id, status);
