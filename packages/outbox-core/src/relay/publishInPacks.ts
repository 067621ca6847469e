import type { OutboxMessage } from '../OutboxMessage.js';
import type { PublishResult } from '../Transport.js';
import { publishInBrokerBatches } from './publishInBrokerBatches.js';

/** @deprecated Use {@link publishInBrokerBatches} (`pack` is now `split`); this alias goes in the next minor version. */
export interface PublishInPacksOptions {
  pack: (messages: readonly OutboxMessage[]) => OutboxMessage[][];
  send: (pack: OutboxMessage[]) => Promise<PublishResult[]>;
  concurrency: number;
  ordered: boolean;
}

/** @deprecated Renamed {@link publishInBrokerBatches} (a "pack" is a broker batch); this alias goes in the next minor version. */
export function publishInPacks(messages: readonly OutboxMessage[], options: PublishInPacksOptions): Promise<PublishResult[]> {
  const { pack, ...rest } = options;
  return publishInBrokerBatches(messages, { ...rest, split: pack });
}
