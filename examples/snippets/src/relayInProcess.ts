// README: running the relay inside your own process instead of the outbox-relay sidecar.
import { Relay } from '@tx-outbox/outbox-core';
import { PostgresOutboxStore } from '@tx-outbox/outbox-typeorm/postgres';
import { SnsTransport } from '@tx-outbox/relay-sns';
import pg from 'pg';

export async function startRelay() {
  // #region relay
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
  const relay = new Relay({
    store: new PostgresOutboxStore({ pool }),
    transport: new SnsTransport({
      region: 'eu-west-1',
      routes: [{ prefix: 'payment.', topicArn: 'arn:aws:sns:eu-west-1:123456789012:payments' }],
    }),
    ordered: true, // claims with the group indexes: createOutboxMigration({ ordered: true }), or migrate with OUTBOX_ORDERED=true
  });
  relay.on('message:dead', ({ message, error }) => console.error('dead-lettered', message.id, error));
  await relay.start();
  process.once('SIGTERM', () => void relay.stop().then(() => pool.end()));
  // #endregion relay
  return relay;
}
