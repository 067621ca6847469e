import { quoteIdentifier, type TableLocation } from '../identifiers.js';
import { type OutboxLayoutOptions, layoutComment, outboxLayout, slotExpression } from './outboxLayout.js';
import { outboxNames } from './outboxNames.js';

/** Options of {@link outboxTableDdl}: where the table is, and its layout. */
export interface OutboxTableOptions extends TableLocation, OutboxLayoutOptions {}

/**
 * The statements that create the outbox table, its slots (partitions) and indexes, in order.
 * Idempotent: on a table of this layout they change only what the options change (the retention, the
 * ordered indexes), and only in the catalog. A table of the 0.1 previews is upgraded by
 * {@link upgradeOutboxTableDdl}, not by these. Used by the TypeORM migration, by `outbox-relay migrate`
 * (plain pg, hence no typeorm import here) and rendered as `sql/outbox.sql`.
 *
 * Why the table looks as it does (docs/decisions/0001-outbox-storage.md):
 * - Rows are written once by the publisher and updated in place by the relay; no index covers a column
 *   the common path changes (`locked_*`, `attempts`, `sent_at`), so the claim and the sent mark are
 *   heap-only (HOT) updates that add no index entries. `fillfactor` leaves each page room for them.
 * - `available_at` is NULL for a row that is due now and has never waited: the claim finds those by
 *   `seq` from a watermark, never walking what it passed. A row that waits (delayed, backing off,
 *   given back, parked behind its group, recovered from an expired lease) gets a time there and is
 *   found through the small `waiting` index instead, so a million rows backing off cost a claim nothing.
 *   It is the only index over waiting rows in claim-time order, so no statistics can lead the planner
 *   to read all of them for the few that are due.
 * - `xid` comes first so that its default assigns the writing transaction's id before `seq` is drawn:
 *   the watermark relies on every `seq` belonging to a transaction it can see finish.
 * - `slot` partitions the table into four slots that take turns by the database's clock, so retention
 *   empties whole slots with TRUNCATE (no DELETE, no dead tuples).
 *
 * Index names are derived from the table name (`<table>_seq_idx`, ...) and must themselves be valid
 * identifiers, so a table name longer than 45 characters is refused.
 *
 * @throws InvalidIdentifierError when the table, schema or a derived name is not a plain identifier;
 *   InvalidOptionError for a bad `retentionMs`.
 * @example
 * ```ts
 * for (const statement of outboxTableDdl({ schema: 'messaging', retentionMs: 3 * 24 * 3600_000 })) await pool.query(statement);
 * ```
 */
export function outboxTableDdl(options: OutboxTableOptions = {}): string[] {
  const n = outboxNames(options);
  const layout = outboxLayout(options);
  const { table, index } = n;
  const slots = Array.from({ length: layout.slots }, (_, i) => i);
  return [
    ...(options.schema === undefined ? [] : [`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier('schema name', options.schema)}`]),
    `CREATE TABLE IF NOT EXISTS ${table} (
  xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  seq bigint GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME ${n.seqSequence}),
  slot smallint NOT NULL DEFAULT ${slotExpression(layout)},
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
) PARTITION BY LIST (slot)`,
    ...slots.map((s) => `CREATE TABLE IF NOT EXISTS ${n.slot(s)} PARTITION OF ${table} FOR VALUES IN (${s}) WITH (fillfactor = 70)`),
    // The claim's watermark walk, the sweep behind it, and admin batches in claim order.
    `CREATE INDEX IF NOT EXISTS ${index.seq} ON ${table} (seq)`,
    // Waiting rows by the time they are due (then in claim order): the claim takes the due ones from its front.
    `CREATE INDEX IF NOT EXISTS ${index.waiting} ON ${table} (available_at, seq) WHERE available_at IS NOT NULL`,
    // Dead letters: listed, counted, requeued and purged by the operator's commands.
    `CREATE INDEX IF NOT EXISTS ${index.dead} ON ${table} (dead_at, seq) WHERE dead_at IS NOT NULL`,
    ...(layout.ordered
      ? [
          // Ordered mode: a group's rows that never waited, and its waiting rows, each one index descent
          // away; the two lanes apart, so messages parked behind a head never lengthen a look-up of the other.
          `CREATE INDEX IF NOT EXISTS ${index.group} ON ${table} (group_key, seq) WHERE available_at IS NULL AND group_key IS NOT NULL`,
          `CREATE INDEX IF NOT EXISTS ${index.waitingGroup} ON ${table} (group_key, seq) WHERE available_at IS NOT NULL AND group_key IS NOT NULL`,
        ]
      : []),
    `CREATE SEQUENCE IF NOT EXISTS ${n.floorSequence} AS bigint MINVALUE 0 START WITH 0`,
    // Re-running with another retention changes where new rows go; rows already written stay put.
    `ALTER TABLE ${table} ALTER COLUMN slot SET DEFAULT ${slotExpression(layout)}`,
    `COMMENT ON TABLE ${table} IS '${layoutComment(layout)}'`,
  ];
}

/** The statements that drop the outbox table (its slots and indexes go with it) and its floor sequence. The schema is left in place. */
export function dropOutboxTableDdl(location: TableLocation = {}): string[] {
  const n = outboxNames(location);
  return [`DROP TABLE IF EXISTS ${n.table}`, `DROP SEQUENCE IF EXISTS ${n.floorSequence}`];
}
