import { DEFAULT_RELAY_OPTIONS } from '@tx-outbox/outbox-core/internal';
import pg from 'pg';
import type { Logger } from './logger.js';

/** TCP keep-alive probes start after this long idle, so a half-open connection is noticed. */
const KEEP_ALIVE_INITIAL_DELAY_MS = 10_000;

/**
 * Every wait on the database has a deadline, derived from the relay's `storeTimeoutMs`
 * (`OUTBOX_STORE_TIMEOUT_MS`) so that raising or lowering it moves them all:
 * - connecting: half of it;
 * - a query as the client sees it (`query_timeout`): 90 % of it. It also covers a connection gone
 *   silent, where no server-side timeout can answer; pg then drops that client from the pool. Below
 *   `storeTimeoutMs`, so the pool has freed the client by the time the relay gives up on the call;
 * - TCP keep-alive probes from 10 s idle.
 * No `statement_timeout` startup parameter: PgBouncer refuses unknown startup parameters, and the
 * sidecar must work behind it unchanged. With the default 10 s: 5 s, 9 s, 10 s.
 */
export function poolDeadlines(storeTimeoutMs: number) {
  return {
    connectionTimeoutMillis: Math.max(1, Math.round(storeTimeoutMs / 2)),
    query_timeout: Math.max(1, Math.floor(storeTimeoutMs * 0.9)),
    keepAlive: true,
    keepAliveInitialDelayMillis: KEEP_ALIVE_INITIAL_DELAY_MS,
  } as const;
}

/** Options of {@link createPool}. */
export interface CreatePoolOptions {
  /**
   * The relay's store deadline (`OUTBOX_STORE_TIMEOUT_MS`, a `run` setting); the pool's deadlines follow
   * it (see {@link poolDeadlines}). The other commands take the relay's default.
   */
  storeTimeoutMs?: number;
  /** `migrate` may build indexes on a large table: no query deadline there. */
  longStatements?: boolean;
}

/**
 * The sidecar's connection pool, with {@link poolDeadlines}. An idle client whose server went away
 * emits `error` on the pool; unhandled, that would crash the process, so it is logged and the relay's
 * own backoff takes over.
 */
export function createPool(databaseUrl: string, max: number, logger: Logger, options: CreatePoolOptions = {}): pg.Pool {
  const deadlines = poolDeadlines(options.storeTimeoutMs ?? DEFAULT_RELAY_OPTIONS.storeTimeoutMs);
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max,
    ...deadlines,
    query_timeout: options.longStatements ? undefined : deadlines.query_timeout,
    application_name: 'outbox-relay',
  });
  pool.on('error', (error) => logger.warn('database connection lost', { error }));
  return pool;
}
