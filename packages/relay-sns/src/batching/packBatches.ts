/** AWS limits of one `PublishBatch` / `SendMessageBatch` call. */
export const MAX_BATCH_ENTRIES = 10;
export const MAX_BATCH_BYTES = 262_144;

export interface PackLimits<T> {
  /** @defaultValue 10 */
  maxEntries?: number;
  /** Total size of one pack. @defaultValue 262144 */
  maxBytes?: number;
  /** Size an item counts against `maxBytes`. */
  sizeOf: (item: T) => number;
}

/**
 * Splits items, in order, into packs of at most `maxEntries` items and `maxBytes` total size. Greedy
 * and order-keeping: item i is never in a later pack than item j > i, so per-group order survives.
 * An item larger than `maxBytes` alone gets a pack of its own (callers refuse those beforehand).
 */
export function packBatches<T>(items: readonly T[], limits: PackLimits<T>): T[][] {
  const maxEntries = limits.maxEntries ?? MAX_BATCH_ENTRIES;
  const maxBytes = limits.maxBytes ?? MAX_BATCH_BYTES;
  const packs: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = limits.sizeOf(item);
    if (current.length > 0 && (current.length >= maxEntries || bytes + size > maxBytes)) {
      packs.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) packs.push(current);
  return packs;
}
