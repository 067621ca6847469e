// README, "Behind a connection pooler": claims through the pooler, LISTEN on a connection of its own.
import type { Transport } from '@tx-outbox/outbox-core';

declare const transport: Transport;

// #region behind-pooler
import pg from 'pg';
import { Relay } from '@tx-outbox/outbox-core';
import { PostgresOutboxStore } from '@tx-outbox/outbox-typeorm/postgres';

const store = new PostgresOutboxStore({
  // Claims, marks, retention: short transactions, fine through PgBouncer in transaction mode.
  pool: new pg.Pool({ connectionString: process.env.DATABASE_URL }),
  // LISTEN: one long-lived connection, straight to PostgreSQL or through a session-mode pool.
  listenPool: new pg.Pool({ connectionString: process.env.OUTBOX_LISTEN_DATABASE_URL, max: 1 }),
});
const relay = new Relay({ store, transport });
relay.on('wakeup:lost', ({ error }) => console.warn(error.message)); // the relay logs it too
await relay.start();
// #endregion behind-pooler
