import type { SqlExecutor } from '../postgres/SqlExecutor.js';
import type { OutboxNames } from '../postgres/schema/outboxNames.js';
import { type MessageSelection, selectionFilterParams, selectionFilterSql } from '../postgres/outboxStore/messageSelection.js';
import { type MessageStatus, messageStatusSql } from './messageStatus.js';

/** A message as a list shows it (no payload, the error cut to 300 characters). */
export interface MessageSummary {
  id: string;
  seq: string;
  subject: string;
  groupKey: string | null;
  status: MessageStatus;
  attempts: number;
  createdAt: Date;
  availableAt: Date | null;
  sentAt: Date | null;
  deadAt: Date | null;
  lastError: string | null;
}

/**
 * Which index a search walks, by the status it asks for: dead letters newest first (the dead index),
 * waiting messages next due first (the waiting index), pending and in-flight messages oldest first
 * from the claim floor (the `seq` index), sent messages and all of them newest first (the `seq` index).
 */
export type SearchLane = 'dead' | 'waiting' | 'forward' | 'backward';

/** Where a page ends: the lane's sort key (µs since the epoch for times, else the `seq`) and the `seq`. */
export interface LaneCursor {
  key: bigint;
  seq: bigint;
}


/** The parameters a lane's walk takes: the cursor (key, seq), the scan limit and the `seq` range [from, to). */
interface WalkParams {
  key: string;
  seq: string;
  scan: string;
  from: string;
  to: string;
}

/** Each lane's rows, the time it is sorted by (then `seq`; none: by `seq` alone) and its direction. */
const LANES: Record<SearchLane, { where(floor: string): string; sortBy: 'dead_at' | 'available_at' | undefined; dir: 'ASC' | 'DESC' }> = {
  dead: { where: () => 'dead_at IS NOT NULL', sortBy: 'dead_at', dir: 'DESC' },
  waiting: { where: () => 'available_at IS NOT NULL', sortBy: 'available_at', dir: 'ASC' },
  forward: {
    where: (floor) => `seq > (SELECT last_value FROM ${floor}) AND available_at IS NULL AND sent_at IS NULL AND dead_at IS NULL`,
    sortBy: undefined,
    dir: 'ASC',
  },
  backward: { where: () => 'true', sortBy: undefined, dir: 'DESC' },
};

/** `ORDER BY` of a lane, its columns prefixed (`w.`) or not. */
function laneOrder(lane: (typeof LANES)[SearchLane], prefix = ''): string {
  return [lane.sortBy, 'seq'].filter(Boolean).map((c) => `${prefix}${c} ${lane.dir}`).join(', ');
}

/**
 * A lane's walk from the cursor (none: from the start), at most the scan limit: `columns` and the sort
 * key as a number (µs since the epoch for a time, else the `seq`) as `key`.
 */
function walkSql(lane: (typeof LANES)[SearchLane], names: OutboxNames, columns: string, p: WalkParams): string {
  const op = lane.dir === 'DESC' ? '<' : '>';
  const key = lane.sortBy === undefined ? 'seq' : `(extract(epoch FROM ${lane.sortBy}) * 1000000)::bigint`;
  // A seq lane's key is its seq.
  const after =
    lane.sortBy === undefined
      ? `seq ${op} coalesce(${p.key}::bigint, ${p.seq}::bigint)`
      : `(${lane.sortBy}, seq) ${op} ('epoch'::timestamptz + ${p.key}::bigint * interval '1 microsecond', ${p.seq}::bigint)`;
  return `SELECT ${columns}, ${key} AS key FROM ${names.table}
           WHERE ${lane.where(names.floorSequence)} AND seq >= ${p.from}::bigint AND seq < ${p.to}::bigint
             AND (${p.seq}::bigint IS NULL OR ${after})
           ORDER BY ${laneOrder(lane)} LIMIT ${p.scan}::int`;
}

const PAGE_WALK: WalkParams = { key: '$9', seq: '$10', scan: '$11', from: '$12', to: '$13' };
const END_WALK: WalkParams = { key: '$1', seq: '$2', scan: '$3', from: '$4', to: '$5' };

/** One page of a search. */
export interface SearchPage {
  messages: MessageSummary[];
  /** Where the next page starts, or `undefined` when the lane ends here. */
  next: LaneCursor | undefined;
  /** Whether the page is full (else the walk reached its scan limit, when `next` is set, or the lane's end). */
  full: boolean;
}

/**
 * One page of messages matching `filter` and `status`, walking the lane's index from `cursor` (keyset
 * paging: no OFFSET, no count). A page walks at most `scanLimit` index entries: when the filter is
 * selective it may come back short with a `next` cursor to go on from, so a page costs the same with
 * 10 million rows as with 10,000.
 *
 * $1..$7 the selection filter, $8 status (null: any), $9/$10 the cursor (null: from the start),
 * $11 scan limit, $12/$13 the `seq` range [from, to) of the seq lanes, $14 page size (one more is
 * read, to tell whether there is a next page). A short page's end: $1..$5 the same walk's.
 */
export async function searchMessages(
  db: SqlExecutor,
  names: OutboxNames,
  args: { lane: SearchLane; filter: MessageSelection; status: MessageStatus | undefined; cursor: LaneCursor | undefined; scanLimit: number; pageSize: number; seqRange: { from: bigint; to: bigint } },
): Promise<SearchPage> {
  const lane = LANES[args.lane];
  const walkValues = [args.cursor?.key.toString() ?? null, args.cursor?.seq.toString() ?? null, args.scanLimit, args.seqRange.from.toString(), args.seqRange.to.toString()];
  // The walk's LIMIT comes before the filter, and the outer ORDER BY is the walk's own (no sort): the
  // walk stops at a full page or at the scan limit, whichever comes first.
  const { rows } = await db.query<{
    id: string; seq: string; subject: string; group_key: string | null; status: MessageStatus; attempts: number; created_at: Date;
    available_at: Date | null; sent_at: Date | null; dead_at: Date | null; last_error: string | null; key: string;
  }>(
    `SELECT w.id::text AS id, w.seq::text AS seq, w.subject, w.group_key, w.status, w.attempts, w.created_at, w.available_at,
            w.sent_at, w.dead_at, left(w.last_error, 300) AS last_error, w.key::text AS key
       FROM (${walkSql(lane, names, `id, seq, subject, group_key, attempts, created_at, available_at, sent_at, dead_at, last_error, ${messageStatusSql()} AS status`, PAGE_WALK)}) AS w
      WHERE ($8::text IS NULL OR w.status = $8::text) AND ${selectionFilterSql(1)}
      ORDER BY ${laneOrder(lane, 'w.')}
      LIMIT $14::int`,
    [...selectionFilterParams(args.filter), args.status ?? null, ...walkValues, args.pageSize + 1],
  );
  const page = rows.slice(0, args.pageSize);
  const messages = page.map((r) => ({
    id: r.id, seq: r.seq, subject: r.subject, groupKey: r.group_key, status: r.status, attempts: Number(r.attempts), createdAt: r.created_at,
    availableAt: r.available_at, sentAt: r.sent_at, deadAt: r.dead_at, lastError: r.last_error,
  }));
  if (rows.length > args.pageSize) {
    const last = page[page.length - 1]!;
    return { messages, next: { key: BigInt(last.key), seq: BigInt(last.seq) }, full: true };
  }
  // A short page: the walk reached either the lane's end or its scan limit, and then the next page goes on after its last entry.
  const { rows: end } = await db.query<{ key: string; seq: string }>(
    `SELECT key::text AS key, seq::text AS seq FROM (${walkSql(lane, names, [lane.sortBy, 'seq'].filter(Boolean).join(', '), END_WALK)}) AS o
      ORDER BY ${laneOrder(lane, 'o.')} OFFSET $3::int - 1 LIMIT 1`,
    walkValues,
  );
  return { messages, next: end[0] && { key: BigInt(end[0].key), seq: BigInt(end[0].seq) }, full: false };
}
