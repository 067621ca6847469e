import pg from 'pg';

/** An open REPEATABLE READ transaction holding the database's xmin horizon until released. */
export interface SnapshotHold {
  release(): Promise<void>;
}

/**
 * Opens a connection, begins a REPEATABLE READ transaction and reads `table` (as pg_dump or a long
 * analytics query does), so its snapshot is taken and held: from now on vacuum can remove no tuple
 * that died after it, in this database, until `release()` commits. Throws unless `observer` (another
 * connection) sees the idle session holding an xmin (`pg_stat_activity.backend_xmin`): a hold that
 * holds nothing would make every figure of the phase meaningless.
 */
export async function holdSnapshot(url: string, table: string, observer: pg.Pool): Promise<SnapshotHold> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
  const { rows } = await client.query<{ pid: number }>(`SELECT pg_backend_pid() AS pid, count(*) FROM ${table}`);
  if (!(await holdsXmin(observer, rows[0]!.pid))) {
    await client.end();
    throw new Error('the snapshot hold holds no xmin (pg_stat_activity.backend_xmin is null)');
  }
  return {
    async release() {
      await client.query('COMMIT');
      await client.end();
    },
  };
}

/**
 * Whether the session `pid` holds back the xmin horizon now.
 * $1 int  the session's pid
 */
async function holdsXmin(pool: pg.Pool, pid: number): Promise<boolean> {
  const { rows } = await pool.query<{ held: boolean }>('SELECT backend_xmin IS NOT NULL AS held FROM pg_stat_activity WHERE pid = $1', [pid]);
  return rows[0]?.held === true;
}
