import os from 'node:os';
import type pg from 'pg';

/** Where the figures came from. */
export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  loadAverageAtStart: number[];
  node: string;
  postgres: string;
  endpoint: string;
}

export async function machineInfo(pool: pg.Pool, endpoint: string): Promise<MachineInfo> {
  // Read from the server, not assumed: the bench runs it durable, the tests do not.
  const { rows } = await pool.query<{ v: string; fsync: string; sc: string }>(
    `SELECT current_setting('server_version') AS v, current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS sc`,
  );
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
    node: process.version,
    postgres: `PostgreSQL ${rows[0]!.v} (embedded, fsync=${rows[0]!.fsync}, synchronous_commit=${rows[0]!.sc})`,
    endpoint,
  };
}
