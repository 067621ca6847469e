import type { SqlExecutor } from '../postgres/SqlExecutor.js';
import { fingerprintOfNormalizedSql, normalizedErrorSql } from '../postgres/outboxStore/failureFingerprint.js';

/** Messages that failed the same way (one failure fingerprint). */
export interface FailureGroup {
  /** The fingerprint id: select the group with `{ fingerprint }`. */
  fingerprint: string;
  /** The error text with ids, numbers and times replaced by placeholders. */
  normalizedError: string;
  /** The error's class: the `Name` of `Name: message`, or `''` when the text has no such prefix. */
  errorClass: string;
  /** Messages of the group among those read. */
  count: number;
  /** Dead letters: the first and last `dead_at`. Waiting messages: the first and last `created_at`. */
  firstSeen: Date;
  lastSeen: Date;
  /** Up to 5 of its subjects, and how many it has among those read. */
  subjects: string[];
  subjectCount: number;
  /** The newest message of the group, and its error as stored. */
  sampleId: string;
  sampleError: string;
}

/** What {@link listFailureGroups} read. */
export interface FailureGroups {
  /** Largest first. */
  groups: FailureGroup[];
  /** Messages read (the newest dead letters, or the first waiting ones), at most the scan limit. */
  scanned: number;
  /** Whether that was all of them (else the counts are of the `scanned` read). */
  complete: boolean;
}

/** Which failed messages are grouped: dead letters, or messages waiting with an error (backing off, or held for a blocked route). */
export type FailureLane = 'dead' | 'waiting';

const MAX_GROUPS = 200;

/** Each lane read along its own partial index: dead letters newest first, waiting messages next due first. */
const LANES: Record<FailureLane, { where: string; order: string; seen: string }> = {
  dead: { where: 'dead_at IS NOT NULL', order: 'dead_at DESC, seq DESC', seen: 'dead_at' },
  waiting: { where: 'available_at IS NOT NULL AND last_error IS NOT NULL', order: 'available_at, seq', seen: 'created_at' },
};

/**
 * The newest `scanLimit` dead letters (backwards along the dead index), or the first `scanLimit`
 * waiting messages that have an error (along the waiting index), grouped by failure fingerprint
 * (failureFingerprint.ts), largest group first, at most 200 groups. Bounded by `scanLimit` however
 * many there are.
 *
 * $1 scan limit (the query reads one more, to tell whether it saw them all).
 */
export async function listFailureGroups(db: SqlExecutor, table: string, lane: FailureLane, scanLimit: number): Promise<FailureGroups> {
  const { where, order, seen } = LANES[lane];
  const { rows } = await db.query<{
    fingerprint: string | null; normalized: string | null; n: string | null; first_seen: Date | null; last_seen: Date | null;
    subjects: string[] | null; subject_count: string | null; sample_id: string | null; sample_error: string | null; scanned: string;
  }>(
    `WITH recent AS MATERIALIZED (
       SELECT id, subject, last_error, ${seen} AS seen, row_number() OVER (ORDER BY ${order}) AS pos FROM ${table}
        WHERE ${where}
        ORDER BY ${order}
        LIMIT $1::int + 1
     ), read AS (
       SELECT *, ${normalizedErrorSql('last_error')} AS normalized FROM recent WHERE pos <= $1::int
     ), grouped AS (
       SELECT ${fingerprintOfNormalizedSql('normalized')} AS fingerprint, normalized, count(*) AS n, min(seen) AS first_seen, max(seen) AS last_seen,
              (array_agg(DISTINCT subject))[1:5] AS subjects, count(DISTINCT subject) AS subject_count,
              (array_agg(id::text ORDER BY seen DESC))[1] AS sample_id, (array_agg(last_error ORDER BY seen DESC))[1] AS sample_error
         FROM read GROUP BY normalized
        ORDER BY n DESC, last_seen DESC
        LIMIT ${MAX_GROUPS}
     )
     SELECT g.*, (SELECT count(*) FROM recent)::text AS scanned FROM (SELECT 1) AS one LEFT JOIN grouped AS g ON true
      ORDER BY g.n DESC, g.last_seen DESC`,
    [scanLimit],
  );
  const read = Number(rows[0]?.scanned ?? 0);
  return {
    groups: rows
      .filter((r) => r.fingerprint !== null)
      .map((r) => ({
        fingerprint: r.fingerprint!,
        normalizedError: r.normalized!,
        errorClass: errorClass(r.sample_error ?? ''),
        count: Number(r.n),
        firstSeen: r.first_seen!,
        lastSeen: r.last_seen!,
        subjects: r.subjects ?? [],
        subjectCount: Number(r.subject_count),
        sampleId: r.sample_id!,
        sampleError: r.sample_error ?? '',
      })),
    scanned: Math.min(read, scanLimit),
    complete: read <= scanLimit,
  };
}

/** `Name` of a `Name: message` error text (the relay's `errorText`), when it looks like a class name. */
function errorClass(text: string): string {
  const match = /^([A-Za-z_$][\w$.]*):\s/.exec(text);
  return match ? match[1]! : '';
}
