import type pg from 'pg';

// The demo's read-only checks. Each is scoped to this run's payment ids, so an existing database
// with earlier rows still gives this run's numbers.

/**
 * Outbox rows of these payments that the relay marked sent.
 * $1 text[]  payment ids
 */
export async function countPublished(db: pg.Pool, paymentIds: string[]): Promise<number> {
  const { rows } = await db.query(`SELECT count(*)::int AS n FROM outbox WHERE payload->>'paymentId' = ANY($1::text[]) AND sent_at IS NOT NULL`, [paymentIds]);
  return rows[0].n;
}

/**
 * Notification rows for these payments (a payment handled twice counts twice).
 * $1 uuid[]  payment ids
 */
export async function countNotifications(db: pg.Pool, paymentIds: string[]): Promise<number> {
  const { rows } = await db.query(`SELECT count(*)::int AS n FROM notifications WHERE payment_id = ANY($1::uuid[])`, [paymentIds]);
  return rows[0].n;
}

/**
 * Committed payments without a notification.
 * $1 uuid[]  committed payment ids
 */
export async function countLost(db: pg.Pool, committedIds: string[]): Promise<number> {
  const { rows } = await db.query(
    `SELECT count(*)::int AS n FROM unnest($1::uuid[]) AS c(id) WHERE NOT EXISTS (SELECT 1 FROM notifications n WHERE n.payment_id = c.id)`,
    [committedIds],
  );
  return rows[0].n;
}

/**
 * Rows a rolled-back payment left behind: payment rows plus outbox rows (both must be 0).
 * $1 uuid[]  rolled-back payment ids
 */
export async function countRolledBackLeftovers(db: pg.Pool, rolledBackIds: string[]): Promise<number> {
  const { rows } = await db.query(
    `SELECT (SELECT count(*) FROM payments WHERE id = ANY($1::uuid[])) + (SELECT count(*) FROM outbox WHERE payload->>'paymentId' = ANY($1::text[])) AS n`,
    [rolledBackIds],
  );
  return Number(rows[0].n);
}

/** The consumer's delivery counters (zeros before its first delivery). */
export interface ConsumerStats {
  deliveries: number;
  processed: number;
  duplicates: number;
  failed: number;
}

/**
 * $1 text  consumer name
 */
export async function readConsumerStats(db: pg.Pool, consumer: string): Promise<ConsumerStats> {
  const { rows } = await db.query(
    `SELECT deliveries::int, processed::int, duplicates::int, failed::int FROM consumer_stats WHERE consumer = $1`,
    [consumer],
  );
  return rows[0] ?? { deliveries: 0, processed: 0, duplicates: 0, failed: 0 };
}
