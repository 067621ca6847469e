import type { PreparedMessage } from '@tx-outbox/outbox-core/internal';
import { createHash } from 'node:crypto';
import type { SqlExecutor } from '../postgres/SqlExecutor.js';

/**
 * Rows per statement of a multi-message insert. The rows travel as one array per column (7 parameters
 * whatever the count), so the 65,535-parameter limit does not apply; the cap keeps each array well
 * under PostgreSQL's 1 GB field limit even when every message is at the maximum size.
 */
export const INSERT_CHUNK_ROWS = 1000;

/**
 * Inserts prepared messages into the outbox, in the caller's transaction, and nothing else: no NOTIFY
 * (it would take PostgreSQL's instance-wide notification lock in the caller's commit; the wake-up is
 * sent after commit, CommitWakeUp.ts).
 *
 * One message — what `sendEvent` writes — is one `INSERT … VALUES` of just the columns it has: the same
 * statement as a hand-written row (id, subject, payload), plus headers, group, dedup id or delay when
 * given. Several messages are one statement per {@link INSERT_CHUNK_ROWS} that unnests one array per
 * column, `seq` following the order given (`WITH ORDINALITY … ORDER BY`).
 *
 * `created_at` is the transaction start (`now()`); a delayed message waits in the waiting lane until
 * the moment of the insert plus the delay (`available_at`), hence never before `created_at + delay`.
 */
export async function insertMessages(executor: SqlExecutor, statements: InsertStatements, messages: readonly PreparedMessage[], prepared: boolean): Promise<void> {
  if (messages.length === 1) {
    const { sql, name, values } = statements.single(messages[0]!);
    await executor.query(sql, values, prepared ? { name } : undefined);
    return;
  }
  const { sql, name } = statements.many;
  for (let start = 0; start < messages.length; start += INSERT_CHUNK_ROWS) {
    const chunk = messages.slice(start, start + INSERT_CHUNK_ROWS);
    await executor.query(
      sql,
      [
        chunk.map((m) => m.id),
        chunk.map((m) => m.subject),
        chunk.map((m) => m.payload),
        chunk.map((m) => JSON.stringify(m.headers)),
        chunk.map((m) => m.groupKey),
        chunk.map((m) => m.dedupId),
        chunk.map((m) => m.delayMs),
      ],
      prepared ? { name } : undefined,
    );
  }
}

/** The insert statements of one outbox table, built once per publisher. */
export interface InsertStatements {
  /** The statement, its prepared name and its values for one message (its shape picks the columns). */
  single(message: PreparedMessage): { sql: string; name: string; values: unknown[] };
  /**
   * The multi-row statement:
   * $1 uuid[] ids, $2 text[] subjects, $3 text[] payloads (JSON text), $4 text[] headers (JSON text),
   * $5 text[] group keys (NULL for none), $6 text[] dedup ids (NULL for none), $7 float8[] delays in ms.
   */
  many: { sql: string; name: string };
}

/** Optional columns of a one-message insert, as bits of its shape. */
const HEADERS = 1;
const GROUP = 2;
const DEDUP = 4;
const DELAY = 8;

/**
 * Builds the statements for `table` (already quoted). A statement's prepared name is a hash of its full
 * text, not of the table: two copies or versions of this package sharing a pooled connection would
 * otherwise prepare different SQL under one name ("Prepared statements must be unique").
 */
export function insertStatements(table: string): InsertStatements {
  const shapes = new Map<number, { sql: string; name: string }>();
  const shapeOf = (shape: number) => {
    let found = shapes.get(shape);
    if (!found) {
      const columns = ['id', 'subject', 'payload'];
      const values = ['$1', '$2', '$3'];
      const add = (column: string, value: (n: number) => string) => {
        columns.push(column);
        values.push(value(values.length + 1));
      };
      if (shape & HEADERS) add('headers', (n) => `$${n}`);
      if (shape & GROUP) add('group_key', (n) => `$${n}`);
      if (shape & DEDUP) add('dedup_id', (n) => `$${n}`);
      if (shape & DELAY) add('available_at', (n) => `clock_timestamp() + $${n}::float8 * interval '1 millisecond'`);
      const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${values.join(', ')})`;
      shapes.set(shape, (found = { sql, name: statementName(sql) }));
    }
    return found;
  };
  const manySql = `INSERT INTO ${table} (id, subject, payload, headers, group_key, dedup_id, available_at)
SELECT m.id, m.subject, m.payload::jsonb, m.headers::jsonb, m.group_key, m.dedup_id,
       CASE WHEN m.delay_ms > 0 THEN clock_timestamp() + m.delay_ms * interval '1 millisecond' END
FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::float8[])
     WITH ORDINALITY AS m(id, subject, payload, headers, group_key, dedup_id, delay_ms, ord)
ORDER BY m.ord`;
  return {
    single(m) {
      let shape = 0;
      const values: unknown[] = [m.id, m.subject, m.payload];
      const take = (bit: number, value: unknown) => {
        shape |= bit;
        values.push(value);
      };
      if (hasKeys(m.headers)) take(HEADERS, JSON.stringify(m.headers));
      if (m.groupKey !== null) take(GROUP, m.groupKey);
      if (m.dedupId !== null) take(DEDUP, m.dedupId);
      if (m.delayMs > 0) take(DELAY, m.delayMs);
      const { sql, name } = shapeOf(shape);
      return { sql, name, values };
    },
    many: { sql: manySql, name: statementName(manySql) },
  };
}

function hasKeys(object: Record<string, string>): boolean {
  for (const _ in object) return true;
  return false;
}

function statementName(sql: string): string {
  return `tx_outbox_insert_${createHash('sha256').update(sql).digest('hex').slice(0, 32)}`;
}
