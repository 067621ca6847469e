import type pg from 'pg';
import { outboxNames } from '@tx-outbox/outbox-typeorm/internal';

/**
 * The console's floor table: only the rows its pages read on a table of any size, and no history:
 * `dead` dead letters of the two kinds seedConsoleHistory.ts writes (spread over the last 7 days),
 * `sent` rows sent over the last day, then `pending` pending rows, the claim floor just below them.
 *
 * $1 dead, $2 sent, $3 pending.
 */
export async function seedConsoleLanes(pool: pg.Pool, tableName: string, counts: { dead: number; sent: number; pending: number }): Promise<void> {
  const { table, floorSequence } = outboxNames({ tableName });
  await pool.query(
    `INSERT INTO ${table} (id, subject, payload, created_at, sent_at, dead_at, last_error, attempts)
     SELECT gen_random_uuid(), (ARRAY['payment.created', 'payment.refunded', 'order.placed', 'order.shipped'])[1 + g % 4], jsonb_build_object('n', g), t,
            CASE WHEN lane = 'sent' THEN t + interval '50 milliseconds' END,
            CASE WHEN lane = 'dead' THEN t + interval '1 second' END,
            CASE WHEN lane = 'dead' AND g % 2 = 0 THEN 'MessageTooLargeError: message ' || md5(g::text) || ' is ' || (262144 + g % 1000) || ' bytes'
                 WHEN lane = 'dead' THEN 'InvalidParameterException: Invalid parameter: MessageAttributes entry ' || (g % 10) END,
            CASE WHEN lane = 'dead' THEN 20 ELSE 1 END
       FROM generate_series(1, $1::int + $2::int + $3::int) AS g,
            LATERAL (SELECT CASE WHEN g <= $1::int THEN 'dead' WHEN g <= $1::int + $2::int THEN 'sent' ELSE 'pending' END AS lane) AS l,
            LATERAL (SELECT CASE lane WHEN 'dead' THEN now() - interval '7 days' * (1 - g::float8 / $1::int)
                                      WHEN 'sent' THEN now() - interval '1 day' * (1 - (g - $1::int)::float8 / $2::int)
                                      ELSE now() END AS t) AS c`,
    [counts.dead, counts.sent, counts.pending],
  );
  await pool.query(`SELECT setval('${floorSequence}', greatest(0, (SELECT max(seq) FROM ${table}) - $1::int))`, [counts.pending]);
  await pool.query(`VACUUM ANALYZE ${table}`);
}
