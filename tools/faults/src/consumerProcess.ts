// Child process: one instance of the consuming service. argv[2] is a ConsumerConfig as JSON. It runs
// SqsConsumer with TransactionalInboxStore: the `handled` row and the inbox record commit in one
// transaction. Some handlers are slow (see isSlowRef) so that a SIGKILL lands mid-handler; on the
// `slow` command a few are slower than the visibility timeout and the inbox lease (slowHandlers.ts).
import 'reflect-metadata';
import { setTimeout as sleep } from 'node:timers/promises';
import { TransactionalInboxStore } from '@tx-outbox/outbox-typeorm';
import { SqsConsumer, type ConsumedMessage } from '@tx-outbox/relay-sns';
import { INSERT_HANDLED } from './businessTables.js';
import { emit } from './childEvents.js';
import { countingInboxStore } from './countingInboxStore.js';
import { CONSUMER_NAME, REGION, isSlowRef } from './names.js';
import { openDataSource } from './openDataSource.js';
import { parseSlowCommand } from './slowHandlers.js';
import { onStdinCommand } from './stdinCommands.js';

export interface ConsumerConfig {
  databaseUrl: string;
  endpoint: string;
  queueUrl: string;
  slowEvery: number;
  slowHandlerMs: number;
  /** Inbox lease: longer than the slowest handler, short enough that a killed holder's message moves on. */
  inboxLeaseMs: number;
  visibilityTimeoutSeconds: number;
  /** After a handler failure, visible again after this long (the queue's redrive policy counts each receive). */
  retryDelaySeconds: number;
}

const config = JSON.parse(process.argv[2]!) as ConsumerConfig;
const dataSource = await openDataSource(config.databaseUrl, 12);
const store = countingInboxStore(new TransactionalInboxStore({ dataSource }), (id, result) =>
  emit({ ev: 'delivery', id, outcome: result.outcome }),
);

// `slow <count> <ms>`: the next `count` handlers last `ms`, longer than the visibility timeout and the inbox lease.
let verySlow = { left: 0, ms: 0 };
onStdinCommand((line) => {
  const slow = parseSlowCommand(line);
  if (slow) verySlow = { left: slow.count, ms: slow.ms };
});

async function handle(message: ConsumedMessage): Promise<void> {
  const { ref } = message.body as { ref: string };
  emit({ ev: 'handler-start', ref });
  // dataSource.query joins the transaction TransactionalInboxStore opened around this handler.
  await dataSource.query(INSERT_HANDLED, [ref, message.id, process.pid]);
  if (verySlow.left > 0) {
    verySlow.left--;
    emit({ ev: 'very-slow', ref, finished: false });
    await sleep(verySlow.ms);
    emit({ ev: 'very-slow', ref, finished: true });
  } else if (isSlowRef(ref, config.slowEvery)) {
    emit({ ev: 'slow', ref });
    await sleep(config.slowHandlerMs);
  }
}

const consumer = new SqsConsumer({
  queueUrl: config.queueUrl,
  region: REGION,
  endpoint: config.endpoint,
  handler: handle,
  concurrency: 10,
  waitTimeSeconds: 1,
  visibilityTimeout: config.visibilityTimeoutSeconds,
  retryDelaySeconds: config.retryDelaySeconds,
  inbox: { store, consumer: CONSUMER_NAME, leaseMs: config.inboxLeaseMs },
  onError: (error, { stage }) => emit({ ev: 'consumer-error', stage, error: `${(error as Error).name}: ${(error as Error).message}` }),
});
consumer.start();
emit({ ev: 'ready' });

process.once('SIGTERM', () => {
  void consumer.stop().then(async () => {
    await dataSource.destroy();
    process.exit(0);
  });
});
