import { InvalidOptionError } from '@tx-outbox/outbox-core';
import { checkBoolean, checkDuration } from '@tx-outbox/outbox-core/internal';

/**
 * How an outbox table is laid out, fixed when it is created (or migrated) and recorded in the table's
 * comment, so every relay and command reads the same values from the database itself.
 *
 * The table is partitioned into `slots` partitions that take turns by time: a row goes to slot
 * `floor(epoch(now()) / slotSeconds) % slots`, by the database's clock. Retention empties a slot with
 * TRUNCATE once every row in it is finished and the newest is older than the retention, so it writes
 * no dead tuples (docs/decisions/0001-outbox-storage.md).
 */
export interface OutboxLayout {
  /** Layout version of the table: 2 for the slotted table (1 was the single table of 0.1 previews). */
  version: 2;
  /** Sent messages are kept at least this long (ms); 0 keeps them forever (every row in slot 0, never emptied). */
  retentionMs: number;
  /** Partitions that take turns ({@link OUTBOX_SLOTS}). */
  slots: number;
  /** How long each slot receives the new rows, in seconds. */
  slotSeconds: number;
  /** Whether the table has the indexes ordered mode claims with. */
  ordered: boolean;
}

/** Options of the table layout (see {@link OutboxLayout}). */
export interface OutboxLayoutOptions {
  /**
   * Sent messages are kept at least this long, and at most one and a half times this (a slot takes
   * new rows for half a retention, and is emptied once its newest row is a retention old): room for
   * `republish` and audits. 0 keeps them forever.
   * @defaultValue 604800000 (7 days)
   */
  retentionMs?: number;
  /**
   * Create the indexes an ordered relay (`ordered: true`) claims with. They cost every grouped row one
   * more index entry at insert, so a table only unordered relays read goes without them.
   * @defaultValue false
   */
  ordered?: boolean;
}

export const DEFAULT_RETENTION_MS = 7 * 24 * 3_600_000;

/**
 * Partitions of every table. A slot receives rows for half a retention; it is emptied once its newest
 * row is a retention old, which leaves it a whole half-retention of slack before its turn comes again.
 */
export const OUTBOX_SLOTS = 4;

/** The layout a table created with these options has. @throws InvalidOptionError */
export function outboxLayout(options: OutboxLayoutOptions = {}): OutboxLayout {
  const retentionMs = checkDuration('retentionMs', options.retentionMs ?? DEFAULT_RETENTION_MS, { min: 0, max: 10 * 365 * 24 * 3_600_000 });
  if (retentionMs > 0 && retentionMs < 2_000) throw new InvalidOptionError('retentionMs', '0 (keep forever) or at least 2000 (2 s)', retentionMs);
  const ordered = checkBoolean('ordered', options.ordered ?? false);
  // Kept forever: every row goes to slot 0 and no slot is ever emptied.
  if (retentionMs === 0) return { version: 2, retentionMs, slots: OUTBOX_SLOTS, slotSeconds: 0, ordered };
  return { version: 2, retentionMs, slots: OUTBOX_SLOTS, slotSeconds: Math.max(1, Math.round(retentionMs / 2 / 1000)), ordered };
}

/** The SQL expression a row's slot is computed with (the `slot` column's default). */
export function slotExpression(layout: Pick<OutboxLayout, 'slots' | 'slotSeconds'>): string {
  if (layout.slotSeconds === 0) return '0';
  return `(floor(extract(epoch FROM now()) / ${layout.slotSeconds})::bigint % ${layout.slots})::smallint`;
}

const COMMENT_PREFIX = 'tx-outbox layout ';

/** The table comment recording the layout (whether the ordered indexes exist is read from the catalog). */
export function layoutComment(layout: OutboxLayout): string {
  const { version, retentionMs, slots, slotSeconds } = layout;
  return `${COMMENT_PREFIX}${JSON.stringify({ version, retentionMs, slots, slotSeconds })}`;
}

/** Reads a table comment written by {@link layoutComment}; `undefined` for any other text. */
export function parseLayoutComment(comment: string | null | undefined): Omit<OutboxLayout, 'ordered'> | undefined {
  if (typeof comment !== 'string' || !comment.startsWith(COMMENT_PREFIX)) return undefined;
  try {
    const { version, retentionMs, slots, slotSeconds } = JSON.parse(comment.slice(COMMENT_PREFIX.length)) as Partial<OutboxLayout>;
    if (version !== 2 || slots !== OUTBOX_SLOTS || typeof retentionMs !== 'number' || typeof slotSeconds !== 'number') return undefined;
    return { version, retentionMs, slots, slotSeconds };
  } catch {
    return undefined;
  }
}
