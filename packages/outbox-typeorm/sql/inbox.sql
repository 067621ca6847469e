-- tx-outbox: the dedup (inbox) table of PostgresDedupStore under the default names (table "inbox" on the search_path).
-- Generated from inboxTableDdl({}) (src/postgres/schema/inboxTableDdl.ts); test/dedupSchema.test.ts keeps them equal.
-- Idempotent: safe to run again. For other names use inboxTableDdl({ tableName, schema }) or createInboxMigration().

CREATE TABLE IF NOT EXISTS "inbox" (
  consumer text NOT NULL,
  message_id text NOT NULL,
  status text NOT NULL CHECK (status IN ('in_progress', 'done')),
  locked_by text NULL,
  locked_until timestamptz NULL,
  processed_at timestamptz NULL,
  expires_at timestamptz NOT NULL,
  fingerprint text NULL,
  PRIMARY KEY (consumer, message_id)
);

CREATE INDEX IF NOT EXISTS "inbox_expires_idx" ON "inbox" (expires_at);
