import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';

/** The newest message committed so far. */
const LAST_SEQ = 'SELECT coalesce(max(seq), 0) AS seq FROM outbox';
/** Messages up to $1 (bigint seq) still waiting to be published. */
const PENDING_UP_TO = 'SELECT count(*) AS n FROM outbox WHERE seq <= $1 AND sent_at IS NULL AND dead_at IS NULL';

/** Waits (until `deadline`, epoch ms) for every message committed up to now to be published or dead; whether they were. */
export async function publishedSoFar(pool: pg.Pool, deadline: number): Promise<boolean> {
  const last = (await pool.query(LAST_SEQ)).rows[0].seq as string;
  while (Date.now() < deadline) {
    if (Number((await pool.query(PENDING_UP_TO, [last])).rows[0].n) === 0) return true;
    await sleep(250);
  }
  return false;
}
