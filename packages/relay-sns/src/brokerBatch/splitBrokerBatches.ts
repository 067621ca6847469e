/** AWS limits of one broker batch (one `PublishBatch` / `SendMessageBatch` call). */
export const MAX_BROKER_BATCH_ENTRIES = 10;
export const MAX_BROKER_BATCH_BYTES = 262_144;

export interface BrokerBatchLimits<T> {
  /** @defaultValue 10 */
  maxEntries?: number;
  /** Total size of one broker batch. @defaultValue 262144 */
  maxBytes?: number;
  /** Size an item counts against `maxBytes`. */
  sizeOf: (item: T) => number;
}

/**
 * Splits items, in order, into broker batches of at most `maxEntries` items and `maxBytes` total size.
 * Greedy and order-keeping: item i is never in a later broker batch than item `j > i`, so per-group
 * order survives. An item larger than `maxBytes` alone gets a broker batch of its own (callers refuse
 * those beforehand).
 */
export function splitBrokerBatches<T>(items: readonly T[], limits: BrokerBatchLimits<T>): T[][] {
  const maxEntries = limits.maxEntries ?? MAX_BROKER_BATCH_ENTRIES;
  const maxBytes = limits.maxBytes ?? MAX_BROKER_BATCH_BYTES;
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = limits.sizeOf(item);
    if (current.length > 0 && (current.length >= maxEntries || bytes + size > maxBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
