import { setTimeout as sleep } from 'node:timers/promises';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type pg from 'pg';
import { DatabaseSetup, getDisabledLogger, initializePollingMessageListener } from 'pg-transactional-outbox';
import { countPeerPending, lastPeerProcessedAtMs, seedPeerOutbox } from '../sql/peerOutboxSql.js';
import { rate } from './stopwatch.js';

const TABLE = 'peer_outbox';
const NEXT_MESSAGES = 'peer_next_outbox_messages';

/** Settings given to the peer's polling listener (its README's example uses 5 and 250 ms). */
export const PEER_SETTINGS = { nextMessagesBatchSize: 10, nextMessagesPollingIntervalInMs: 100 } as const;

/**
 * pg-transactional-outbox 0.5.7 from the registry, polling listener (its logical-replication listener
 * needs wal_level=logical and a replication role; polling is its variant that scales like ours).
 * Creates its table, function and indexes with its own `DatabaseSetup`, seeds `count` messages, and
 * drains them with a handler that publishes each message with its own SNS `Publish`, as its users do.
 */
export async function drainWithPeer(pool: pg.Pool, databaseUrl: string, database: string, sns: SNSClient, topicArn: string, count: number) {
  const setup = { outboxOrInbox: 'outbox' as const, database, schema: 'public', table: TABLE, listenerRole: 'postgres', nextMessagesName: NEXT_MESSAGES };
  await pool.query(DatabaseSetup.dropAndCreateTable(setup));
  await pool.query(DatabaseSetup.createPollingFunction(setup));
  await pool.query(DatabaseSetup.setupPollingIndexes(setup));
  await seedPeerOutbox(pool, TABLE, count);

  const goAt = Date.now();
  const [shutdown] = initializePollingMessageListener(
    {
      outboxOrInbox: 'outbox',
      dbListenerConfig: { connectionString: databaseUrl },
      settings: {
        dbSchema: 'public',
        dbTable: TABLE,
        enableMaxAttemptsProtection: false,
        enablePoisonousMessageProtection: false,
        messageCleanupIntervalInMs: 0,
        nextMessagesFunctionName: NEXT_MESSAGES,
        nextMessagesFunctionSchema: 'public',
        ...PEER_SETTINGS,
      },
    },
    {
      handle: async (message) => {
        await sns.send(
          new PublishCommand({
            TopicArn: topicArn,
            Message: JSON.stringify(message.payload),
            MessageAttributes: { 'message-id': { DataType: 'String', StringValue: message.id } },
          }),
        );
      },
    },
    getDisabledLogger(),
  );
  try {
    const deadline = goAt + 600_000;
    while ((await countPeerPending(pool, TABLE)) > 0) {
      if (Date.now() > deadline) throw new Error(`pg-transactional-outbox did not drain ${count} messages within 600 s`);
      await sleep(100);
    }
  } finally {
    await shutdown();
  }
  const ms = ((await lastPeerProcessedAtMs(pool, TABLE)) ?? Date.now()) - goAt;
  return { ms, msgPerSec: rate(count, ms) };
}
