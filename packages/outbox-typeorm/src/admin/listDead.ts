import type { SqlExecutor } from '../postgres/SqlExecutor.js';

/** A dead-lettered message as the `status` command shows it. */
export interface DeadMessage {
  id: string;
  subject: string;
  groupKey: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  deadAt: Date;
}

/**
 * The most recently dead-lettered messages, newest first (payload left out: it can be large), read
 * backwards along the dead index.
 *
 * $1 limit.
 */
export async function listDead(db: SqlExecutor, table: string, limit: number): Promise<DeadMessage[]> {
  const { rows } = await db.query<{
    id: string; subject: string; group_key: string | null; attempts: number; last_error: string | null; created_at: Date; dead_at: Date;
  }>(
    `SELECT id::text AS id, subject, group_key, attempts, last_error, created_at, dead_at
       FROM ${table}
      WHERE dead_at IS NOT NULL
      ORDER BY dead_at DESC, seq DESC
      LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({
    id: r.id,
    subject: r.subject,
    groupKey: r.group_key,
    attempts: Number(r.attempts),
    lastError: r.last_error,
    createdAt: r.created_at,
    deadAt: r.dead_at,
  }));
}
