// README (outbox-typeorm), "Relay store": PostgresOutboxStore on a plain pg Pool.
import type { Transport } from '@tx-outbox/outbox-core';

declare const transport: Transport;

// #region relay-store
import pg from 'pg';
import { Relay } from '@tx-outbox/outbox-core';
import { PostgresOutboxStore } from '@tx-outbox/outbox-typeorm/postgres';

const store = new PostgresOutboxStore({ pool: new pg.Pool({ connectionString: process.env.DATABASE_URL }) });
// or, inside a service: new PostgresOutboxStore({ dataSource })  (a TypeORM DataSource of type "postgres")
const relay = new Relay({ store, transport });
await relay.start();
// #endregion relay-store
