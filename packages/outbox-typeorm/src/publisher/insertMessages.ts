import type { PreparedMessage } from '@tx-outbox/outbox-core';
import { createHash } from 'node:crypto';
import type { SqlExecutor } from '../postgres/SqlExecutor.js';

/**
 * Rows per statement. The rows travel as one array per column (7 parameters whatever the count), so
 * the 65,535-parameter limit does not apply; the cap keeps each array well under PostgreSQL's 1 GB
 * field limit even when every message is at the 256 KiB maximum.
 */
export const INSERT_CHUNK_ROWS = 1000;

/**
 * Inserts prepared messages into the outbox, in as few statements as {@link INSERT_CHUNK_ROWS} allows,
 * and signals relays LISTENing on `notifyChannel` in the same statement (one round trip fewer per
 * `sendEvent`: the benchmark's publisher overhead is mostly round trips). The notification is
 * delivered only at commit, never after a rollback, and PostgreSQL folds identical notifications of
 * one transaction into one, so only the first chunk sends it.
 * `seq` follows the order given (`WITH ORDINALITY ... ORDER BY`), so one call's messages keep their order.
 * `created_at` is the transaction start (`now()`); `available_at` is the moment of the insert plus the
 * delay, hence never before `created_at + delay`.
 *
 * $1 uuid[]   ids
 * $2 text[]   subjects
 * $3 text[]   payloads (JSON text)
 * $4 text[]   headers (JSON text)
 * $5 text[]   group keys (NULL for none)
 * $6 text[]   dedup ids (NULL for none)
 * $7 float8[] delays in milliseconds
 * $8 text     NOTIFY channel (NULL: no notification)
 */
export async function insertMessages(
  executor: SqlExecutor,
  statement: InsertStatement,
  messages: readonly PreparedMessage[],
  options: { notifyChannel: string | null; prepared: boolean },
): Promise<void> {
  const { notifyChannel } = options;
  const name = options.prepared ? statement.name : undefined;
  for (let start = 0; start < messages.length; start += INSERT_CHUNK_ROWS) {
    const chunk = messages.slice(start, start + INSERT_CHUNK_ROWS);
    await executor.query(statement.sql, [
      chunk.map((m) => m.id),
      chunk.map((m) => m.subject),
      chunk.map((m) => m.payload),
      chunk.map((m) => JSON.stringify(m.headers)),
      chunk.map((m) => m.groupKey),
      chunk.map((m) => m.dedupId),
      chunk.map((m) => m.delayMs),
      start === 0 ? notifyChannel : null,
    ], name ? { name } : undefined);
  }
}

/** The insert's SQL text for one outbox table and the name it is prepared under. */
export interface InsertStatement {
  sql: string;
  name: string;
}

/**
 * Builds the statement for `table` (already quoted), once per outbox. The name is a hash of the full
 * text, not of the table: two copies or versions of this package sharing a pooled connection would
 * otherwise prepare different SQL under one name ("Prepared statements must be unique").
 */
export function insertStatement(table: string): InsertStatement {
  // A data-modifying CTE always runs to completion, whether or not the outer SELECT reads it.
  const sql = `WITH inserted AS (
INSERT INTO ${table} (id, subject, payload, headers, group_key, dedup_id, available_at)
SELECT m.id, m.subject, m.payload::jsonb, m.headers::jsonb, m.group_key, m.dedup_id,
       clock_timestamp() + m.delay_ms * interval '1 millisecond'
FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::float8[])
     WITH ORDINALITY AS m(id, subject, payload, headers, group_key, dedup_id, delay_ms, ord)
ORDER BY m.ord)
SELECT pg_notify($8::text, '') WHERE $8::text IS NOT NULL`;
  return { sql, name: `tx_outbox_insert_${createHash('sha256').update(sql).digest('hex').slice(0, 32)}` };
}
