-- tx-outbox: the inbox table of PostgresInboxStore under the default names (table "inbox" on the search_path),
-- partitioned by RANGE (message_id) with a default partition; an unpartitioned inbox is upgraded in place.
-- Generated from inboxTableDdl({}) (src/postgres/schema/inboxTableDdl.ts); test/dedupSchema.test.ts keeps them equal.
-- Idempotent: safe to run again. Run each statement in its own transaction (psql does). The day partitions are
-- created and retired by inbox retention (PostgresInboxStore.rotate(), run by the outbox-relay sidecar).
-- For other names use inboxTableDdl({ tableName, schema }) or createInboxMigration().

DO $tx_outbox$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('tx-outbox:inbox-partitions:"inbox"'));
  PERFORM set_config('lock_timeout', '5000ms', true);
  IF to_regclass('"inbox"') IS NULL THEN
    CREATE TABLE "inbox" (
      consumer text NOT NULL,
      message_id text NOT NULL,
      status text NOT NULL CHECK (status IN ('in_progress', 'done')),
      locked_by text NULL,
      locked_until timestamptz NULL,
      processed_at timestamptz NULL,
      expires_at timestamptz NOT NULL,
      fingerprint text NULL,
      PRIMARY KEY (consumer, message_id)
    ) PARTITION BY RANGE (message_id);
    CREATE TABLE "inbox_default" PARTITION OF "inbox" DEFAULT;
    -- Retention deletes expired records of the default partition in batches, oldest first.
    CREATE INDEX "inbox_expires_idx" ON "inbox" (expires_at);
  ELSIF (SELECT relkind FROM pg_class WHERE oid = to_regclass('"inbox"')) = 'r' THEN
    -- The upgrade: today's table becomes the default partition as it is, its indexes renamed out of the way.
    LOCK TABLE "inbox" IN ACCESS EXCLUSIVE MODE;
    EXECUTE format('ALTER INDEX %s RENAME TO %I',
                   (SELECT conindid::regclass FROM pg_constraint WHERE conrelid = to_regclass('"inbox"') AND contype = 'p'),
                   'inbox_default_pkey');
    ALTER INDEX IF EXISTS "inbox_expires_idx"
      RENAME TO "inbox_default_expires_idx";
    ALTER TABLE "inbox" RENAME TO "inbox_default";
    CREATE TABLE "inbox" (LIKE "inbox_default" INCLUDING DEFAULTS INCLUDING CONSTRAINTS, PRIMARY KEY (consumer, message_id))
      PARTITION BY RANGE (message_id);
    CREATE INDEX "inbox_expires_idx" ON "inbox" (expires_at);
    ALTER TABLE "inbox" ATTACH PARTITION "inbox_default" DEFAULT;
  END IF;
END
$tx_outbox$;
