import type { SqlExecutor } from '../postgres/SqlExecutor.js';
import type { OutboxNames } from '../postgres/schema/outboxNames.js';

/** Unfinished and dead messages of one subject, among those read. */
export interface SubjectBacklog {
  subject: string;
  pending: number;
  inFlight: number;
  waiting: number;
  dead: number;
}

/** What {@link readBacklogBySubject} read. */
export interface BacklogBySubject {
  subjects: SubjectBacklog[];
  /** Rows read per lane (each at most the limit), and whether each lane was read to its end. */
  read: { fresh: number; waiting: number; dead: number };
  complete: boolean;
}

/**
 * Per subject: pending, in flight, waiting and dead messages, each lane read along its own index and
 * at most `limit` rows of it: rows above the persisted claim floor that never waited (the `seq`
 * index), the waiting lane (its partial index, next due first) and the newest dead letters (the dead
 * index). Bounded whatever the table holds; `complete` tells whether every lane was read to its end.
 *
 * $1 limit per lane (one more is read, to tell whether the lane ends).
 */
export async function readBacklogBySubject(db: SqlExecutor, names: OutboxNames, limit: number): Promise<BacklogBySubject> {
  const t = names.table;
  const { rows } = await db.query<{ subject: string | null; pending: string; in_flight: string; waiting: string; dead: string }>(
    `WITH fresh AS MATERIALIZED (
       SELECT subject, locked_until, NULL::timestamptz AS available_at FROM ${t}
        WHERE seq > (SELECT last_value FROM ${names.floorSequence}) AND available_at IS NULL AND sent_at IS NULL AND dead_at IS NULL
        ORDER BY seq LIMIT $1::int + 1
     ), waiting AS MATERIALIZED (
       SELECT subject, locked_until, available_at FROM ${t} WHERE available_at IS NOT NULL ORDER BY available_at, seq LIMIT $1::int + 1
     ), dead AS MATERIALIZED (
       SELECT subject FROM ${t} WHERE dead_at IS NOT NULL ORDER BY dead_at DESC, seq DESC LIMIT $1::int + 1
     ), lanes AS (
       SELECT subject, CASE WHEN locked_until >= now() THEN 'in_flight' WHEN available_at > now() THEN 'waiting' ELSE 'pending' END AS status
         FROM (SELECT * FROM fresh LIMIT $1) AS f
       UNION ALL
       SELECT subject, CASE WHEN locked_until >= now() THEN 'in_flight' WHEN available_at > now() THEN 'waiting' ELSE 'pending' END
         FROM (SELECT * FROM waiting LIMIT $1) AS w
       UNION ALL
       SELECT subject, 'dead' FROM (SELECT * FROM dead LIMIT $1) AS d
     )
     SELECT subject,
            count(*) FILTER (WHERE status = 'pending')::text AS pending, count(*) FILTER (WHERE status = 'in_flight')::text AS in_flight,
            count(*) FILTER (WHERE status = 'waiting')::text AS waiting, count(*) FILTER (WHERE status = 'dead')::text AS dead
       FROM lanes GROUP BY subject
     UNION ALL
     SELECT NULL, (SELECT count(*) FROM fresh)::text, '0', (SELECT count(*) FROM waiting)::text, (SELECT count(*) FROM dead)::text`,
    [limit],
  );
  const meta = rows.find((r) => r.subject === null)!;
  const counted = (n: string) => Math.min(Number(n), limit);
  const read = { fresh: counted(meta.pending), waiting: counted(meta.waiting), dead: counted(meta.dead) };
  return {
    subjects: rows
      .filter((r) => r.subject !== null)
      .map((r) => ({ subject: r.subject!, pending: Number(r.pending), inFlight: Number(r.in_flight), waiting: Number(r.waiting), dead: Number(r.dead) }))
      .sort((a, b) => b.pending + b.inFlight + b.waiting + b.dead - (a.pending + a.inFlight + a.waiting + a.dead) || a.subject.localeCompare(b.subject)),
    read,
    complete: Number(meta.pending) <= limit && Number(meta.waiting) <= limit && Number(meta.dead) <= limit,
  };
}
