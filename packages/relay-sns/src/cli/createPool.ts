import pg from 'pg';
import type { Logger } from './logger.js';

/**
 * Every wait on the database has a deadline: connecting (5 s), a query as the client sees it (9 s,
 * `query_timeout`: it also covers a connection gone silent, where no server-side timeout can answer;
 * pg then drops that client from the pool), and TCP keep-alive probes from 10 s idle so a half-open
 * connection is noticed. All below the relay's `storeTimeoutMs` (10 s), which bounds the relay's own
 * wait whatever the pool does. No `statement_timeout` startup parameter: PgBouncer refuses unknown
 * startup parameters, and the sidecar must work behind it unchanged.
 */
export const POOL_DEADLINES = {
  connectionTimeoutMillis: 5_000,
  query_timeout: 9_000,
  keepAlive: true,
  keepAliveInitialDelayMillis: 10_000,
} as const;

/**
 * The sidecar's connection pool, with {@link POOL_DEADLINES}. An idle client whose server went away
 * emits `error` on the pool; unhandled, that would crash the process, so it is logged and the relay's
 * own backoff takes over.
 */
export function createPool(databaseUrl: string, max: number, logger: Logger, options: { longStatements?: boolean } = {}): pg.Pool {
  // `migrate` may build indexes on a large table: no query deadline there.
  const deadlines = options.longStatements ? { ...POOL_DEADLINES, query_timeout: undefined } : POOL_DEADLINES;
  const pool = new pg.Pool({ connectionString: databaseUrl, max, ...deadlines, application_name: 'outbox-relay' });
  pool.on('error', (error) => logger.warn('database connection lost', { error }));
  return pool;
}
