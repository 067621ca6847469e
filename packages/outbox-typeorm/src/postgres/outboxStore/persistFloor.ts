import type { SqlExecutor } from '../SqlExecutor.js';

/**
 * Persists the claim floor (ClaimWatermark.ts) in its sequence, only ever upwards, and returns the
 * persisted value (another relay's, when it is higher). A sequence, not a row: no MVCC, no dead tuples.
 *
 * $1 the floor.
 */
export async function persistFloor(db: SqlExecutor, floorSequence: string, floor: bigint): Promise<bigint> {
  const { rows } = await db.query<{ floor: string }>(
    `SELECT setval('${floorSequence.replaceAll("'", "''")}'::regclass, greatest($1::bigint, last_value))::text AS floor FROM ${floorSequence}`,
    [floor.toString()],
  );
  return BigInt(rows[0]!.floor);
}
