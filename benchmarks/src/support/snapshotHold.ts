import pg from 'pg';

/** An open REPEATABLE READ transaction holding the database's xmin horizon until released. */
export interface SnapshotHold {
  release(): Promise<void>;
}

/**
 * Opens a connection, begins a REPEATABLE READ transaction and reads `table` (as pg_dump or a long
 * analytics query does), so its snapshot is taken and held: from now on vacuum can remove no tuple
 * that died after it, in this database, until `release()` commits.
 */
export async function holdSnapshot(url: string, table: string): Promise<SnapshotHold> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
  await client.query(`SELECT count(*) FROM ${table}`);
  return {
    async release() {
      await client.query('COMMIT');
      await client.end();
    },
  };
}
