/**
 * The scenario's own tables. `orders` is the business write of each producer transaction (a unique
 * ref per transaction); `handled` is the consumers' effect, written in the inbox store's transaction.
 * `handled` has no unique key on purpose: a second effect for the same ref must be countable, not refused.
 */
export const BUSINESS_TABLES_DDL = [
  `CREATE TABLE IF NOT EXISTS orders (
  ref text PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now()
)`,
  `CREATE TABLE IF NOT EXISTS handled (
  ref text NOT NULL,
  outbox_id uuid NOT NULL,
  consumer_pid integer NOT NULL,
  handled_at timestamptz NOT NULL DEFAULT clock_timestamp()
)`,
];

/**
 * The order row of one producer transaction.
 * $1 text ref
 */
export const INSERT_ORDER = 'INSERT INTO orders (ref) VALUES ($1)';

/**
 * One handled event, written by a consumer inside the inbox transaction.
 * $1 text ref, $2 uuid outbox id, $3 integer consumer pid
 */
export const INSERT_HANDLED = 'INSERT INTO handled (ref, outbox_id, consumer_pid) VALUES ($1, $2, $3)';
