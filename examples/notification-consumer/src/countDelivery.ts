import type { DataSource } from 'typeorm';

/** What became of one delivery. */
export type DeliveryOutcome = 'processed' | 'duplicate' | 'failed';

/**
 * Adds one delivery to the consumer's counters. Runs on its own, after the inbox transaction, so a
 * duplicate (which opens no transaction) is counted too.
 *
 * $1 text  consumer name
 * $2 int   1 when processed, else 0
 * $3 int   1 when a duplicate, else 0
 * $4 int   1 when failed, else 0
 */
export async function countDelivery(dataSource: DataSource, consumer: string, outcome: DeliveryOutcome): Promise<void> {
  await dataSource.query(
    `INSERT INTO consumer_stats AS s (consumer, deliveries, processed, duplicates, failed) VALUES ($1, 1, $2, $3, $4)
ON CONFLICT (consumer) DO UPDATE SET deliveries = s.deliveries + 1, processed = s.processed + $2,
  duplicates = s.duplicates + $3, failed = s.failed + $4`,
    [consumer, Number(outcome === 'processed'), Number(outcome === 'duplicate'), Number(outcome === 'failed')],
  );
}
