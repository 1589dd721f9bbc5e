-- Render reuse: a render's keys (render.DocumentKey, render.RenderKey) and how much of the latest render of
-- a task was reused (whole, or segment by segment).
ALTER TABLE renders ADD COLUMN doc_key TEXT NOT NULL DEFAULT '';
ALTER TABLE renders ADD COLUMN render_key TEXT NOT NULL DEFAULT '';
CREATE INDEX renders_doc_key ON renders (account_id, doc_key);
ALTER TABLE tasks ADD COLUMN reused INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN segments_reused INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN segments_total INTEGER NOT NULL DEFAULT 0;
