/** Where a walk of the dead letters is, in the dead index's `(dead_at, seq)` order. */
export interface DeadCursor {
  deadAt: Date;
  seq: bigint;
}

/** Before every dead letter (the database clock never dead-letters before 1970). */
export const DEAD_START: DeadCursor = { deadAt: new Date(0), seq: -1n };
