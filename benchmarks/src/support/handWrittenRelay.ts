import { setTimeout as sleep } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type pg from 'pg';
import { markOneSent, selectUnsent } from '../sql/handWrittenRelaySql.js';

/**
 * The outbox relay most teams write first: every second, select up to 1,000 unsent rows, then for
 * each row one `Publish` call and one `UPDATE`, one after the other. Runs until the table is drained;
 * returns the wall time in ms.
 */
export async function handWrittenRelay(pool: pg.Pool, table: string, sns: SNSClient, topicArn: string): Promise<number> {
  const start = performance.now();
  for (;;) {
    const tick = performance.now();
    const rows = await selectUnsent(pool, table);
    if (rows.length === 0) return performance.now() - start;
    for (const row of rows) {
      await sns.send(
        new PublishCommand({
          TopicArn: topicArn,
          Message: row.payload,
          MessageAttributes: {
            'outbox-message-id': { DataType: 'String', StringValue: row.id },
            subject: { DataType: 'String', StringValue: row.subject },
          },
        }),
      );
      await markOneSent(pool, table, row.id);
    }
    const rest = 1000 - (performance.now() - tick);
    if (rest > 0 && rows.length < 1000) await sleep(rest);
  }
}
