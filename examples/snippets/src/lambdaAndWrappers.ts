// README (relay-sns), "Other consumers": the Lambda SQS handler and the sqs-consumer wrapper.
import type { Message } from '@aws-sdk/client-sqs';
import type { InboxStore } from '@tx-outbox/outbox-core';

declare const inbox: InboxStore;
declare const queueUrl: string;
declare const billing: { apply(subject: string, body: unknown): Promise<void> };
// Stand-in for `sqs-consumer`'s Consumer, which this repository does not install.
declare const Consumer: { create(options: { queueUrl: string; messageAttributeNames: string[]; handleMessage(message: Message): Promise<Message> }): { start(): void } };

// #region lambda-handler
import { createSqsLambdaHandler } from '@tx-outbox/relay-sns';

// Enable ReportBatchItemFailures on the event source mapping: only failed records are retried.
export const handler = createSqsLambdaHandler({
  inbox: { store: inbox, consumer: 'billing' }, // e.g. new PostgresInboxStore({ pool })
  handler: async ({ subject, body }) => billing.apply(subject, body),
});
// #endregion lambda-handler

// #region sqs-consumer-wrapper
import { outboxMessageHandler } from '@tx-outbox/relay-sns';

const app = Consumer.create({
  queueUrl,
  messageAttributeNames: ['All'], // the outbox id and subject travel as message attributes
  handleMessage: outboxMessageHandler(async ({ subject, body }) => billing.apply(subject, body), {
    inbox: { store: inbox, consumer: 'billing', onDuplicate: (m) => console.info('duplicate', m.id) },
  }),
});
app.start();
// #endregion sqs-consumer-wrapper
