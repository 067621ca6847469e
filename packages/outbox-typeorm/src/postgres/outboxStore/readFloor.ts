import type { SqlExecutor } from '../SqlExecutor.js';

/**
 * The persisted claim floor (ClaimWatermark.ts): every row at or below it is finished or waiting.
 *
 * No parameters.
 */
export async function readFloor(db: SqlExecutor, floorSequence: string): Promise<bigint> {
  const { rows } = await db.query<{ floor: string }>(`SELECT last_value::text AS floor FROM ${floorSequence}`);
  return BigInt(rows[0]!.floor);
}
