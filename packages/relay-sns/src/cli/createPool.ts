import pg from 'pg';
import type { Logger } from './logger.js';

/**
 * The sidecar's connection pool. An idle client whose server went away emits `error` on the pool;
 * unhandled, that would crash the process, so it is logged and the relay's own backoff takes over.
 */
export function createPool(databaseUrl: string, max: number, logger: Logger): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max, connectionTimeoutMillis: 5000, application_name: 'outbox-relay' });
  pool.on('error', (error) => logger.warn('database connection lost', { error }));
  return pool;
}
