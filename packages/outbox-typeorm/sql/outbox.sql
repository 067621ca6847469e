-- tx-outbox: the outbox table under the default names (table "outbox" on the search_path).
-- Generated from outboxTableDdl({}) (src/postgres/schema/outboxTableDdl.ts); test/schema.test.ts keeps them equal.
-- Idempotent: safe to run again. For other names use outboxTableDdl({ tableName, schema }) or createOutboxMigration().

CREATE TABLE IF NOT EXISTS "outbox" (
  id uuid PRIMARY KEY,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  subject text NOT NULL,
  payload jsonb NOT NULL,
  headers jsonb NOT NULL DEFAULT '{}',
  group_key text NULL,
  dedup_id text NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  available_at timestamptz NOT NULL DEFAULT now(),
  attempts integer NOT NULL DEFAULT 0,
  locked_by text NULL,
  locked_until timestamptz NULL,
  last_error text NULL,
  sent_at timestamptz NULL,
  dead_at timestamptz NULL
);

CREATE INDEX IF NOT EXISTS "outbox_pending_idx" ON "outbox" (seq) WHERE sent_at IS NULL AND dead_at IS NULL;

CREATE INDEX IF NOT EXISTS "outbox_group_pending_idx" ON "outbox" (group_key, seq) WHERE sent_at IS NULL AND dead_at IS NULL AND group_key IS NOT NULL;

CREATE INDEX IF NOT EXISTS "outbox_group_blocked_idx" ON "outbox" (greatest(available_at, locked_until)) WHERE sent_at IS NULL AND dead_at IS NULL AND group_key IS NOT NULL;

CREATE INDEX IF NOT EXISTS "outbox_free_pending_idx" ON "outbox" (seq) WHERE sent_at IS NULL AND dead_at IS NULL AND group_key IS NULL;

CREATE INDEX IF NOT EXISTS "outbox_sent_idx" ON "outbox" (sent_at) WHERE sent_at IS NOT NULL;

CREATE INDEX IF NOT EXISTS "outbox_dead_idx" ON "outbox" (dead_at) WHERE dead_at IS NOT NULL;
