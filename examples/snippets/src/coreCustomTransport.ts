// README (outbox-core), "Relay": a custom transport built on publishInBrokerBatches, and a relay with listeners.
import type { OutboxStore } from '@tx-outbox/outbox-core';

declare const myBroker: { maxBytes: number; sendBatch(entries: { key: string; topic: string; body: string }[]): Promise<Set<string>> };
declare const store: OutboxStore;
declare const logger: { error(context: object, message: string): void };
declare const metrics: { gauge(name: string, value: number): void };

// #region relay
import { Relay, publishInBrokerBatches, type Transport } from '@tx-outbox/outbox-core';

// A custom transport: 10 messages per broker batch, 4 broker batches in flight. Ordered mode is
// handled by publishInBrokerBatches: the transport only splits, sends, and says what it refuses.
const transport: Transport = {
  publish: (messages, { ordered }) =>
    publishInBrokerBatches(messages, {
      // Decided before anything is sent; in ordered mode the group's later messages are held back.
      refuse: (m) => (m.payload.length > myBroker.maxBytes ? { id: m.id, status: 'permanent', error: 'too large' } : undefined),
      split: (msgs) => Array.from({ length: Math.ceil(msgs.length / 10) }, (_, i) => msgs.slice(i * 10, i * 10 + 10)),
      send: async (brokerBatch) => {
        const accepted = await myBroker.sendBatch(brokerBatch.map((m) => ({ key: m.id, topic: m.subject, body: m.payload })));
        return brokerBatch.map((m) =>
          accepted.has(m.id) ? { id: m.id, status: 'sent' as const } : { id: m.id, status: 'retry' as const, error: 'rejected' },
        );
      },
      concurrency: 4,
      ordered,
    }),
};

const relay = new Relay({ store, transport, ordered: true, retry: { maxAttempts: 10 } });
relay.on('message:dead', ({ message, error }) => logger.error({ id: message.id, error }, 'dead-lettered'));
relay.on('relay:backlog', ({ pending, oldestPendingAgeMs }) => metrics.gauge('outbox.pending', pending));
await relay.start();
process.once('SIGTERM', () => void relay.stop().then(() => process.exit(0)));
// #endregion relay
