// The held-snapshot scenario (issue 23): a session opens a REPEATABLE READ transaction, reads the
// outbox, takes a transaction id, and then sits idle in transaction while traffic flows — a stuck
// application session, a long report, pg_dump. It holds the xmin horizon (vacuum may remove no row
// version newer than it) and it sits in every snapshot as a transaction in progress. Neither may hold
// healthy traffic up: every message committed meanwhile must be published within RECOVERY_BOUND_MS,
// counted from its commit (report.ts), and retention, which cannot empty a slot the session read,
// must wait without blocking the relays.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Cast } from './Cast.js';
import type { FaultRecord } from './RunCounters.js';

/** What the scenario saw, for the end checks. */
export interface HeldSnapshotFacts {
  /** Whether the holding session had a transaction id and held the xmin horizon while traffic flowed. */
  heldXidAndXmin: boolean;
  /** Messages committed while the snapshot was held (the traffic it had to let through). */
  committedWhileHeld: number;
}

// $1 int pid
const HOLDER_STATE = `SELECT backend_xid IS NOT NULL AS has_xid, backend_xmin IS NOT NULL AS has_xmin,
       state = 'idle in transaction' AS idle FROM pg_stat_activity WHERE pid = $1`;

/** Holds the snapshot for `heldSnapshotMs`, then ends the transaction; records the fault and its facts. */
export async function heldSnapshot(cast: Cast): Promise<void> {
  const { pool, counters, scenario } = cast;
  const holder = await pool.connect();
  let facts: HeldSnapshotFacts = { heldXidAndXmin: false, committedWhileHeld: 0 };
  const startedAt = Date.now();
  try {
    await holder.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    await holder.query('SELECT count(*) FROM outbox');
    const pid = Number((await holder.query('SELECT pg_backend_pid() AS pid, pg_current_xact_id() AS xid')).rows[0].pid);
    const committedBefore = counters.committed;
    await sleep(scenario.heldSnapshotMs / 2);
    const state = (await pool.query(HOLDER_STATE, [pid])).rows[0] as { has_xid: boolean; has_xmin: boolean; idle: boolean } | undefined;
    await sleep(scenario.heldSnapshotMs / 2);
    facts = { heldXidAndXmin: state?.has_xid === true && state.has_xmin && state.idle, committedWhileHeld: counters.committed - committedBefore };
  } finally {
    await holder.query('ROLLBACK').catch(() => undefined);
    holder.release();
  }
  counters.heldSnapshot = facts;
  const record: FaultRecord = { kind: 'held-snapshot', detail: `REPEATABLE READ with a transaction id, idle in transaction, ${facts.committedWhileHeld} commits meanwhile`, startedAt, endedAt: Date.now() };
  counters.faults.push(record);
}
