import type pg from 'pg';
import { outboxNames } from '@tx-outbox/outbox-typeorm/internal';

/**
 * Inserts `count` rows as a week of traffic leaves them, in one statement: created evenly over the last
 * 7 days (in `seq` order), almost all sent 50 ms later; 1 in 200 dead-lettered, of two failure kinds;
 * the newest 1 in 1,000 still pending. Small payloads: the console never reads payloads of a list.
 * The claim floor is set where a running relay would have persisted it, just below the pending rows.
 *
 * $1 count.
 */
export async function seedConsoleHistory(pool: pg.Pool, tableName: string, count: number): Promise<void> {
  const { table, floorSequence } = outboxNames({ tableName });
  await pool.query(
    `INSERT INTO ${table} (id, subject, payload, created_at, sent_at, dead_at, last_error, attempts)
     SELECT gen_random_uuid(), (ARRAY['payment.created', 'payment.refunded', 'order.placed', 'order.shipped'])[1 + g % 4],
            jsonb_build_object('n', g), t,
            CASE WHEN g % 200 <> 0 AND g <= $1::int - $1::int / 1000 THEN t + interval '50 milliseconds' END,
            CASE WHEN g % 200 = 0 THEN t + interval '1 second' END,
            CASE WHEN g % 400 = 0 THEN 'MessageTooLargeError: message ' || md5(g::text) || ' is ' || (262144 + g % 1000) || ' bytes'
                 WHEN g % 200 = 0 THEN 'InvalidParameterException: Invalid parameter: MessageAttributes entry ' || (g % 10) END,
            CASE WHEN g % 200 = 0 THEN 20 ELSE 1 END
       FROM generate_series(1, $1::int) AS g,
            LATERAL (SELECT now() - interval '7 days' * (1 - g::float8 / $1::int) AS t) AS c`,
    [count],
  );
  await pool.query(`SELECT setval('${floorSequence}', greatest(0, (SELECT max(seq) FROM ${table}) - $1::int / 1000 - 1))`, [count]);
  await pool.query(`VACUUM ANALYZE ${table}`);
}
