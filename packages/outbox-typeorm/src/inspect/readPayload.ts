import type { SqlExecutor } from '../postgres/SqlExecutor.js';

/**
 * The whole payload of one message as JSON text, or `undefined`.
 *
 * $1 id.
 */
export async function readPayload(db: SqlExecutor, table: string, id: string): Promise<string | undefined> {
  const { rows } = await db.query<{ payload: string }>(`SELECT payload::text AS payload FROM ${table} WHERE id = $1::uuid`, [id]);
  return rows[0]?.payload;
}
