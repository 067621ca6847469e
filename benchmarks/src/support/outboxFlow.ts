import type pg from 'pg';
import { insertOutboxMessages } from '@tx-outbox/outbox-typeorm/postgres';
import { FILLER_BYTES } from '../sql/seedMessages.js';
import type { ClaimLoopProcess } from './claimLoopProcess.js';
import { startSteadyInflow, type SteadyInflow } from './steadyInflow.js';

/** What happened in the flow since the previous tick. */
export interface FlowTick {
  committed: number;
  sent: number;
  claimMs: number[];
  emptyClaims: number;
  errors: Record<string, number>;
  /** Committed and not yet marked sent, now: the claimable backlog (plus at most one claim in flight). */
  backlogRows: number;
}

/** Messages flowing through insertOutboxMessages → store.claim → store.markSent, counted at both ends. */
export interface OutboxFlow {
  /** Starts committing `ratePerSec` messages of `subject` a second, each in its own transaction. */
  startInflow(): void;
  /** Stops the inflow and waits for the inserts in progress. */
  stopInflow(): Promise<void>;
  /** Messages not offered because 32 inserts were still running (the producer fell behind its rate). */
  readonly skipped: number;
  /** The claim loop's current process (replaced by {@link replaceClaimLoop}). */
  readonly claimLoop: ClaimLoopProcess;
  /** Stops the claim loop and starts the next one (new connections: they read the role's settings anew). */
  replaceClaimLoop(next: ClaimLoopProcess): Promise<void>;
  tick(): Promise<FlowTick>;
  /** Stops the inflow and the claim loop. */
  stop(): Promise<void>;
}

/**
 * Counts what the producer committed and what the claim loop marked sent, so the backlog is known
 * without reading the table (layout-agnostic, and cheap while the table is at its worst).
 */
export function startOutboxFlow(pool: pg.Pool, table: { tableName: string }, claimLoop: ClaimLoopProcess, ratePerSec: number, subject: string): OutboxFlow {
  const body = (n: number) => ({ n, kind: 'order.created', data: 'x'.repeat(FILLER_BYTES) });
  let inflow: SteadyInflow | undefined;
  let committedBefore = 0; // by finished inflows
  let skippedBefore = 0;
  let committedAtTick = 0;
  let sentTotal = 0;
  let current = claimLoop;
  const committed = () => committedBefore + (inflow?.committed ?? 0);
  return {
    startInflow() {
      if (inflow) throw new Error('the inflow is already running');
      inflow = startSteadyInflow(ratePerSec, async (n) => void (await insertOutboxMessages(pool, [{ subject, body: body(n) }], table)));
    },
    async stopInflow() {
      if (!inflow) return;
      await inflow.stop();
      committedBefore += inflow.committed;
      skippedBefore += inflow.skipped;
      inflow = undefined;
    },
    get skipped() {
      return skippedBefore + (inflow?.skipped ?? 0);
    },
    get claimLoop() {
      return current;
    },
    async replaceClaimLoop(next) {
      const last = await current.sample();
      sentTotal += last.sent;
      await current.stop();
      current = next;
      current.go();
    },
    async tick() {
      const s = await current.sample();
      sentTotal += s.sent;
      const now = committed();
      const tick: FlowTick = { committed: now - committedAtTick, sent: s.sent, claimMs: s.claimMs, emptyClaims: s.emptyClaims, errors: s.errors, backlogRows: Math.max(0, now - sentTotal) };
      committedAtTick = now;
      return tick;
    },
    async stop() {
      await this.stopInflow();
      await current.stop();
    },
  };
}
