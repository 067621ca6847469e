/**
 * SQLSTATEs after which the connections a pool keeps are not to be trusted: the server refuses writes
 * (25006 read_only_sql_transaction: a standby, or the old writer after a failover while its name still
 * points at it) or is shutting down or restarting (57P01 admin_shutdown, 57P02 crash_shutdown, 57P03
 * cannot_connect_now). Class 08 (connection exception) counts too.
 */
const STALE_SQLSTATES = new Set(['25006', '57P01', '57P02', '57P03']);
/** Node's socket error codes of a connection that is gone or never came. */
const STALE_SOCKET_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);
/** node-postgres's own connection errors, which carry no code. */
const STALE_MESSAGES = [/Connection terminated/i, /Query read timeout/i, /timeout exceeded when trying to connect/i];

/**
 * Whether `error` (or one of its causes) means the pool's other idle connections likely reach the same
 * wrong or dead server, so they should be dropped and new ones opened, which look the host name up
 * again. (A pg client whose own query failed is already dropped by the pool; this is about the rest.)
 * By SQLSTATE or socket error code where there is one; by message only for node-postgres's connection
 * errors, which have none.
 */
export function isStaleConnectionError(error: unknown): boolean {
  let e: unknown = error;
  for (let depth = 0; e !== null && typeof e === 'object' && depth < 5; depth++) {
    const { code, message, cause } = e as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === 'string' && (STALE_SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code) || STALE_SOCKET_CODES.has(code))) return true;
    if (typeof message === 'string' && STALE_MESSAGES.some((pattern) => pattern.test(message))) return true;
    e = cause;
  }
  return false;
}
