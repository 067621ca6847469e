/** Serializes the partition maintenance of one inbox table across sidecars and consumers. */
const LOCK_KEY = 'tx-outbox:inbox-partitions:';

/**
 * One maintenance step as a single statement: a DO block in its own transaction that takes the
 * table's advisory lock and sets `lock_timeout` for itself only (set_config's local form, so it holds
 * through a transaction-mode pooler). A step that cannot get its table lock in time fails with 55P03
 * and is tried again at the next retention run, instead of queueing the inbox's traffic behind it.
 *
 * The body is built from quoted identifiers and uuid bounds the caller derived; no input is spliced in.
 */
export function maintenanceBlock(parent: string, lockTimeoutMs: number, body: string): string {
  if (!Number.isInteger(lockTimeoutMs) || lockTimeoutMs < 1) throw new RangeError(`lock timeout must be a positive integer of ms, got ${lockTimeoutMs}`);
  return `DO $tx_outbox$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext(${literal(LOCK_KEY + parent)}));
  PERFORM set_config('lock_timeout', '${lockTimeoutMs}ms', true);
${body}
END
$tx_outbox$`;
}

/** A SQL string literal of text we built (quoted identifiers, uuid bounds): one with a quote, a backslash or the block's tag is refused. */
export function literal(text: string): string {
  if (/['\\]|\$tx_outbox\$/.test(text)) throw new RangeError(`refusing to embed ${JSON.stringify(text)} in SQL`);
  return `'${text}'`;
}
