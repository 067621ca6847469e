/** Where a walk of the dead letters is, in the dead index's `(dead_at, seq)` order. */
export interface DeadCursor {
  deadAt: Date;
  seq: bigint;
}

/** Before every dead letter (the year 1: JavaScript's earliest date is out of PostgreSQL's range). */
export const DEAD_START: DeadCursor = { deadAt: new Date('0001-01-01T00:00:00Z'), seq: -1n };
