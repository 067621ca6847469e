import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { handleOnce } from '@tx-outbox/outbox-core';
import { PostgresInboxStore } from '@tx-outbox/outbox-typeorm/postgres';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { decodeSqsMessage } from '../src/index.js';
import { awsConfig, createQueue, createTopic, receiveAll, subscribeQueue, waitFor } from './support/aws.js';
import { useCliDatabase } from './support/cliDatabase.js';
import { runCli, startCli } from './support/cliProcess.js';

// outbox-relay republish / purge / requeue against a real PostgreSQL, with a relay publishing to fauxqs.
const cli = useCliDatabase('cliops');
const running = cli.running;

beforeAll(async () => {
  expect((await runCli(['migrate'], { DATABASE_URL: cli.db.url })).code).toBe(0);
});

async function insert(subject: string, count: number, state: 'pending' | 'sent' | 'dead' = 'pending', createdAt = 'now()'): Promise<string[]> {
  const { rows } = await cli.pool.query<{ id: string }>(
    `INSERT INTO outbox (id, subject, payload, created_at, sent_at, dead_at, last_error)
     SELECT gen_random_uuid(), $1, jsonb_build_object('n', n), ${createdAt},
            CASE WHEN $3 = 'sent' THEN now() END, CASE WHEN $3 = 'dead' THEN now() END, CASE WHEN $3 = 'dead' THEN 'boom' END
       FROM generate_series(1, $2) n
     RETURNING id::text`,
    [subject, count, state],
  );
  return rows.map((r) => r.id);
}

const result = (logs: Array<Record<string, unknown>>) => logs.find((l) => 'matched' in l);

describe('outbox-relay republish', () => {
  it('publishes the selected sent messages again, and a deduplicating consumer suppresses them', async () => {
    const sns = new SNSClient(awsConfig());
    const sqs = new SQSClient(awsConfig());
    const topicArn = await createTopic(sns, 'republish');
    const queueUrl = await createQueue(sqs, 'republish');
    await subscribeQueue(sns, sqs, topicArn, queueUrl, true);
    const relay = startCli(['run', '--poll-interval-ms', '200'], {
      DATABASE_URL: cli.db.url,
      OUTBOX_ROUTES: `payment.*=${topicArn}`,
      AWS_ENDPOINT_URL: inject('awsEndpoint'),
      OUTBOX_HTTP_PORT: '0',
    });
    running.push(relay);
    await relay.waitForLog((l) => l.msg === 'outbox-relay started');
    const oldCreated = await insert('payment.created', 2, 'pending', `now() - interval '3 hours'`);
    const created = await insert('payment.created', 3);
    const refunded = await insert('payment.refunded', 2);

    // The consumer handles each message once, recording it in the inbox.
    const inbox = new PostgresInboxStore({ pool: cli.pool });
    const consume = async (expected: number) => {
      const outcomes: Array<{ id: string; status: string }> = [];
      for (const raw of await receiveAll(sqs, queueUrl, expected)) {
        const message = decodeSqsMessage(raw);
        const outcome = await handleOnce(inbox, { consumer: 'billing', messageId: message.id, payload: message.bodyText }, () => undefined);
        outcomes.push({ id: message.id, status: outcome.status });
      }
      return outcomes;
    };
    const first = await consume(7);
    expect(first.map((o) => o.status)).toEqual(Array(7).fill('processed'));
    await waitFor(async () => (await cli.pool.query(`SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL`)).rows[0].n === 0);

    const env = { DATABASE_URL: cli.db.url };
    const selection = ['--subject', 'payment.created', '--since', '1h'];
    const dryRun = await runCli(['republish', ...selection, '--dry-run'], env);
    expect(dryRun.code).toBe(0);
    expect(result(dryRun.logs)).toEqual({ matched: 3, dryRun: true });
    const refused = await runCli(['republish', ...selection, '--confirm-above', '2'], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr.join('\n')).toMatch(/matched 3 messages, more than 2; nothing was changed.*--yes/);
    expect((await cli.pool.query(`SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL`)).rows[0].n).toBe(0);

    const republished = await runCli(['republish', ...selection, '--confirm-above', '2', '--yes'], env);
    expect(republished.code).toBe(0);
    expect(result(republished.logs)).toEqual({ matched: 3, republished: 3 });

    const second = await consume(3);
    expect(second.map((o) => o.id).sort()).toEqual([...created].sort());
    expect(second.map((o) => o.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
    expect(oldCreated.concat(refunded).some((id) => second.some((o) => o.id === id))).toBe(false);

    relay.child.kill('SIGTERM');
    expect((await relay.exited).code).toBe(0);
    sns.destroy();
    sqs.destroy();
  });

  it('selects by id, by subject prefix and by time range; refuses a bad selection with exit 2', async () => {
    await cli.pool.query(`DELETE FROM outbox`);
    const [a] = await insert('order.placed', 2, 'sent');
    await insert('order.cancelled', 1, 'sent', `now() - interval '2 days'`);
    await insert('invoice.sent', 1, 'sent');
    const env = { DATABASE_URL: cli.db.url };
    expect(result((await runCli(['republish', '--subject', 'order.*', '--dry-run'], env)).logs)).toEqual({ matched: 3, dryRun: true });
    expect(result((await runCli(['republish', '--subject', 'order.*', '--until', '1d', '--dry-run'], env)).logs)).toEqual({ matched: 1, dryRun: true });
    expect(result((await runCli(['republish', '--id', a!], env)).logs)).toEqual({ matched: 1, republished: 1 });
    const { rows } = await cli.pool.query(`SELECT id::text, attempts FROM outbox WHERE sent_at IS NULL`);
    expect(rows).toEqual([{ id: a, attempts: 0 }]);

    for (const args of [['republish'], ['republish', '--all', '--subject', 'x'], ['republish', '--since', 'yesterday'], ['republish', '--id', 'nope']]) {
      const bad = await runCli(args, env);
      expect(bad.code, args.join(' ')).toBe(2);
      expect(bad.stderr).toHaveLength(1);
    }
  });
});

describe('outbox-relay purge and requeue', () => {
  it('purge deletes only the selected dead messages, in batches, and asks for --yes above the threshold', async () => {
    await cli.pool.query(`DELETE FROM outbox`);
    await insert('mail.bounced', 5, 'dead');
    const kept = await insert('mail.sent', 2, 'dead');
    const pending = await insert('mail.bounced', 1);
    const env = { DATABASE_URL: cli.db.url, OUTBOX_CONFIRM_ABOVE: '3' };
    expect((await runCli(['purge', '--subject', 'mail.bounced'], env)).code).toBe(2);
    const purged = await runCli(['purge', '--subject', 'mail.bounced', '--yes'], env);
    expect(result(purged.logs)).toEqual({ matched: 5, purged: 5 });
    const { rows } = await cli.pool.query(`SELECT id::text FROM outbox ORDER BY id`);
    expect(rows.map((r) => r.id)).toEqual([...kept, ...pending].sort());
  });

  it('requeue takes the same selection and needs no confirmation', async () => {
    await cli.pool.query(`DELETE FROM outbox`);
    await insert('sms.failed', 4, 'dead');
    const requeued = await runCli(['requeue', '--subject', 'sms.*'], { DATABASE_URL: cli.db.url, OUTBOX_CONFIRM_ABOVE: '1' });
    expect(requeued.code).toBe(0);
    expect(result(requeued.logs)).toEqual({ matched: 4, requeued: 4 });
    const { rows } = await cli.pool.query(`SELECT count(*)::int AS n FROM outbox WHERE dead_at IS NULL AND attempts = 0`);
    expect(rows[0].n).toBe(4);
  });
});
