/** Where a walk of the dead letters is, in the dead index's `(dead_at, seq)` order. */
export interface DeadCursor {
  deadAt: Date;
  seq: bigint;
}

/** Before every dead letter. */
export const DEAD_START: DeadCursor = { deadAt: new Date(-8.64e15), seq: -1n };
