// README (outbox-typeorm), "Operations": OutboxAdmin, the replay and dead-letter operations.
import pg from 'pg';

declare const pool: pg.Pool;

// #region outbox-admin
import { OutboxAdmin } from '@tx-outbox/outbox-typeorm/postgres';

const admin = new OutboxAdmin({ pool }); // or { dataSource }; tableName and schema as for the store
const lastHour = { subject: 'payment.*', since: new Date(Date.now() - 3600_000) };
const preview = await admin.republish(lastHour, { dryRun: true }); // { matched, changed: 0, dryRun: true }
console.log(`${preview.matched} messages would be published again`);
await admin.republish(lastHour, { confirm: true }); // above confirmAbove (1000) it needs confirm
await admin.requeue({ subject: 'payment.created' }); // dead → pending, attempts reset
await admin.purge({ until: new Date('2026-01-01T00:00:00Z') }); // dead letters deleted for good
const dead = await admin.listDead({ limit: 20 });
// #endregion outbox-admin
export { dead };
