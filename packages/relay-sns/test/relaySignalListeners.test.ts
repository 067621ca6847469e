// A relay publishing a full batch to SNS with many calls in flight prints no MaxListenersExceededWarning:
// every call of one batch listens on the batch's one AbortSignal, and Node's default of 10 listeners
// would call that a leak.
import { SNSClient } from '@aws-sdk/client-sns';
import { Relay } from '@tx-outbox/outbox-core';
import { InMemoryOutboxStore } from '@tx-outbox/outbox-core/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SnsTransport } from '../src/index.js';
import { awsConfig, createTopic, waitFor } from './support/aws.js';

let sns: SNSClient;
beforeAll(() => void (sns = new SNSClient(awsConfig())));
afterAll(() => sns.destroy());

it('a batch sent with 32 PublishBatch calls in flight on one abort signal warns of no listener leak', async () => {
  const topicArn = await createTopic(sns, 'listeners');
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => void warnings.push(warning);
  process.on('warning', onWarning);
  const store = new InMemoryOutboxStore();
  const relay = new Relay({ store, transport: new SnsTransport({ client: sns, routes: () => topicArn, concurrency: 32 }), batchSize: 400, pollIntervalMs: 20 });
  try {
    store.add(Array.from({ length: 400 }, (_, n) => ({ subject: 'load.created', body: { n } })));
    await relay.start();
    await waitFor(() => store.all().every((row) => row.sentAt !== null));
  } finally {
    await relay.stop();
    process.off('warning', onWarning);
  }
  // A warning is emitted on the next tick after the listener that crossed the limit was added.
  await new Promise((resolve) => setImmediate(resolve));
  expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message)).toEqual([]);
});
