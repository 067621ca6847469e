import type { SqlExecutor } from '../postgres/SqlExecutor.js';

/** The database's clock: every time the console shows or compares is the database's, like every stored one. */
export async function readDatabaseNow(db: SqlExecutor): Promise<Date> {
  const { rows } = await db.query<{ now: Date }>('SELECT now() AS now');
  return rows[0]!.now;
}
