/** What a pg `Pool` offers for this: its count of idle clients, and checking one out. */
export interface IdleConnectionsPool {
  /** pg-pool's count of idle clients; a pool without it is left alone. */
  readonly idleCount?: number;
  connect(): Promise<{ release(destroy?: boolean | Error): void }>;
}

const draining = new WeakSet<object>();

/**
 * Closes the clients `pool` holds idle, so the next queries open new connections (and look the host
 * name up again): after a failover or a switch to a read-only server, the idle ones still reach the
 * old server. pg has no call for it, so each idle client is checked out and released with `true`
 * (destroy). At most as many as were idle when called; a drain already running is not started twice.
 * Never rejects.
 */
export async function discardIdleConnections(pool: IdleConnectionsPool): Promise<number> {
  const idle = pool.idleCount;
  if (typeof idle !== 'number' || idle === 0 || draining.has(pool)) return 0;
  draining.add(pool);
  let closed = 0;
  try {
    for (let i = 0; i < idle && (pool.idleCount ?? 0) > 0; i++) {
      const client = await pool.connect();
      client.release(true);
      closed++;
    }
  } catch {
    // The server is gone: a connect failed, and there is nothing idle left to close.
  } finally {
    draining.delete(pool);
  }
  return closed;
}
