-- tx-outbox: upgrades an outbox table of the 0.1 previews (default names) to the slotted layout, online.
-- Generated from upgradeOutboxTableDdl({}) (src/postgres/schema/upgradeOutboxTableDdl.ts); test/schema.test.ts keeps them equal.
-- Stop the 0.1 relays first. Run it once, in one transaction (it holds the old table's lock for catalog changes only);
-- the relay then moves the old rows across by itself and drops "outbox_legacy".

BEGIN;

SET LOCAL lock_timeout = '2s';

ALTER TABLE "outbox" RENAME TO "outbox_legacy";

ALTER INDEX IF EXISTS "outbox_pkey" RENAME TO "outbox_legacy_pkey";

ALTER INDEX IF EXISTS "outbox_dead_idx" RENAME TO "outbox_legacy_dead_idx";

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

SELECT setval('"outbox_seq"', greatest(1, (SELECT last_value FROM "outbox_seq_seq")), true);

COMMIT;
