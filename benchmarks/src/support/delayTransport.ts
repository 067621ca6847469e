import { setTimeout as sleep } from 'node:timers/promises';
import type { Transport } from '@tx-outbox/outbox-core';

/**
 * A broker that answers every broker batch (10 messages) after `delayMs`, on a timer: no network, no
 * CPU, so a relay against it shows its pipeline, not the machine. `concurrency` broker batches are in
 * flight per claimed batch, as SnsTransport's `concurrency` does.
 */
export function delayTransport(delayMs: number, concurrency: number): Transport {
  return {
    async publish(messages) {
      const brokerBatches = Math.ceil(messages.length / 10);
      for (let done = 0; done < brokerBatches; done += concurrency) await sleep(delayMs);
      return messages.map((m) => ({ id: m.id, status: 'sent' as const }));
    },
  };
}
