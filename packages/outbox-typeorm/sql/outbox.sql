-- tx-outbox: the outbox table under the default names (table "outbox" on the search_path), 7-day retention.
-- Generated from outboxTableDdl({}) (src/postgres/schema/outboxTableDdl.ts); test/schema.test.ts keeps them equal.
-- Idempotent: safe to run again. For other names, another retention or ordered mode use outboxTableDdl(options),
-- createOutboxMigration(options) or outbox-relay migrate. A 0.1 table is upgraded by sql/outbox-upgrade.sql instead.

CREATE TABLE IF NOT EXISTS "outbox" (
  xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  seq bigint GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME "outbox_seq"),
  slot smallint NOT NULL DEFAULT (floor(extract(epoch FROM now()) / 302400)::bigint % 4)::smallint,
  id uuid NOT NULL,
  subject text NOT NULL,
  payload jsonb NOT NULL,
  headers jsonb NOT NULL DEFAULT '{}',
  group_key text NULL,
  dedup_id text NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  available_at timestamptz NULL,
  attempts integer NOT NULL DEFAULT 0,
  locked_by text NULL,
  locked_until timestamptz NULL,
  last_error text NULL,
  sent_at timestamptz NULL,
  dead_at timestamptz NULL,
  PRIMARY KEY (id, slot)
) PARTITION BY LIST (slot);

CREATE TABLE IF NOT EXISTS "outbox_p0" PARTITION OF "outbox" FOR VALUES IN (0) WITH (fillfactor = 70);

CREATE TABLE IF NOT EXISTS "outbox_p1" PARTITION OF "outbox" FOR VALUES IN (1) WITH (fillfactor = 70);

CREATE TABLE IF NOT EXISTS "outbox_p2" PARTITION OF "outbox" FOR VALUES IN (2) WITH (fillfactor = 70);

CREATE TABLE IF NOT EXISTS "outbox_p3" PARTITION OF "outbox" FOR VALUES IN (3) WITH (fillfactor = 70);

CREATE INDEX IF NOT EXISTS "outbox_seq_idx" ON "outbox" (seq);

CREATE INDEX IF NOT EXISTS "outbox_waiting_idx" ON "outbox" (available_at, seq) WHERE available_at IS NOT NULL;

CREATE INDEX IF NOT EXISTS "outbox_dead_idx" ON "outbox" (dead_at, seq) WHERE dead_at IS NOT NULL;

CREATE SEQUENCE IF NOT EXISTS "outbox_floor" AS bigint MINVALUE 0 START WITH 0;

ALTER TABLE "outbox" ALTER COLUMN slot SET DEFAULT (floor(extract(epoch FROM now()) / 302400)::bigint % 4)::smallint;

COMMENT ON TABLE "outbox" IS 'tx-outbox layout {"version":2,"retentionMs":604800000,"slots":4,"slotSeconds":302400}';
