// README (outbox-core), "Writing a transport": refuse before sending, and the ordered rule for free.
declare const myBroker: {
  maxBytes: number;
  sendBatch(entries: { key: string; body: string; group: string | null }[]): Promise<Set<string>>;
};

// #region ordered-transport
import { publishInBrokerBatches, type Transport } from '@tx-outbox/outbox-core';

const brokerTransport: Transport = {
  publish: (messages, { ordered }) =>
    publishInBrokerBatches(messages, {
      // What the broker would refuse anyway: decided before anything is sent. In ordered mode the
      // group's later messages are then held back, in this broker batch and in later ones.
      refuse: (m) =>
        m.payload.length > myBroker.maxBytes ? { id: m.id, status: 'permanent', error: `over ${myBroker.maxBytes} bytes` } : undefined,
      split: (msgs) => Array.from({ length: Math.ceil(msgs.length / 10) }, (_, i) => msgs.slice(i * 10, i * 10 + 10)),
      send: async (brokerBatch) => {
        const accepted = await myBroker.sendBatch(brokerBatch.map((m) => ({ key: m.id, body: m.payload, group: m.groupKey })));
        return brokerBatch.map((m) =>
          accepted.has(m.id) ? { id: m.id, status: 'sent' as const } : { id: m.id, status: 'retry' as const, error: 'rejected' },
        );
      },
      concurrency: 4,
      ordered,
    }),
};
// #endregion ordered-transport

// #region options-kit
import { InvalidOptionError, checkDuration, checkInteger, expectedText } from '@tx-outbox/outbox-core';

// The checks and wording the relay, handleOnce, the stores and the sidecar use, for your own options.
const timeoutMs = checkDuration('timeoutMs', Number(process.env.BROKER_TIMEOUT_MS ?? 5_000), { min: 1, max: 60_000 });
const lanes = checkInteger('lanes', 4, { min: 1, max: 16 });
// expectedText('integer', { min: 1, max: 16 }) === 'an integer from 1 to 16'
try {
  checkInteger('lanes', 0, { min: 1, max: 16 });
} catch (error) {
  if (error instanceof InvalidOptionError) console.error(error.message, expectedText('integer', { min: 1, max: 16 }));
}
// #endregion options-kit

export const used: unknown[] = [brokerTransport, timeoutMs, lanes];
