import pg from 'pg';
import { track } from './leakGuard.js';

/** A pg pool for a test, tracked by the leak guard: the file fails if it is not `end()`ed. */
export function testPool(connectionString: string, options: Omit<pg.PoolConfig, 'connectionString'> = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString, ...options });
  // An idle client cut off by the server (a restart, or the drop of a leaked pool's database) is not a
  // test failure by itself; query errors still reject their query.
  pool.on('error', () => undefined);
  return track(pool, 'pg pool');
}
