// The sidecar with no static credentials, on the SDK's default chain and a container credentials
// endpoint that fails for a while: one line says the transport is blocked, no message uses a try or
// dies, and everything goes out once the endpoint answers.
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, inject, it } from 'vitest';
import { awsConfig, createQueue, createTopic, receiveAll, subscribeQueue } from './support/aws.js';
import { useCliDatabase } from './support/cliDatabase.js';
import { runCli, startCli } from './support/cliProcess.js';
import { startCredentialsEndpoint } from './support/credentialsEndpoint.js';

const ctx = useCliDatabase('cli_credentials');

async function insert(subject: string, count: number): Promise<string[]> {
  const { rows } = await ctx.pool.query<{ id: string }>(
    `INSERT INTO outbox (id, subject, payload, headers) SELECT gen_random_uuid(), $1, jsonb_build_object('n', n), '{}'::jsonb FROM generate_series(1, $2) n RETURNING id`,
    [subject, count],
  );
  return rows.map((r) => r.id);
}

describe('outbox-relay run without working credentials', () => {
  it('blocks the transport with one line, uses no try, and publishes every route once the credentials endpoint answers', async () => {
    await runCli(['migrate'], { DATABASE_URL: ctx.db.url });
    const sns = new SNSClient(awsConfig());
    const sqs = new SQSClient(awsConfig());
    const [topicA, topicB] = [await createTopic(sns, 'creds-a'), await createTopic(sns, 'creds-b')];
    const queueUrl = await createQueue(sqs, 'creds');
    await subscribeQueue(sns, sqs, topicA, queueUrl, true);
    await subscribeQueue(sns, sqs, topicB, queueUrl, true);
    const creds = await startCredentialsEndpoint('fail');
    try {
      const relay = startCli(['run', '--poll-interval-ms', '100'], {
        DATABASE_URL: ctx.db.url,
        AWS_ENDPOINT_URL: inject('awsEndpoint'),
        OUTBOX_HTTP_PORT: '0',
        OUTBOX_ROUTES: `creds.a.*=${topicA},creds.b.*=${topicB}`,
        // No static keys, no profile files, no instance metadata: the default chain reaches the container provider.
        AWS_ACCESS_KEY_ID: '',
        AWS_SECRET_ACCESS_KEY: '',
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
        AWS_CONFIG_FILE: '/nonexistent/config',
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_CONTAINER_CREDENTIALS_FULL_URI: creds.url,
      });
      ctx.running.push(relay);
      await relay.waitForLog((l) => l.msg === 'outbox-relay started');
      const ids = [...(await insert('creds.a.created', 3)), ...(await insert('creds.b.created', 3))];

      await relay.waitForLog((l) => String(l.msg ?? '').includes('route (credentials) SnsTransport is blocked (CredentialsProviderError)'), 30_000);
      // Probed again (a later claim after the backoff asks the provider again), still failing.
      const asked = creds.requests;
      for (const deadline = Date.now() + 30_000; creds.requests <= asked; ) {
        if (Date.now() > deadline) throw new Error('the relay did not ask for credentials again within 30 s');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const held = await ctx.pool.query(`SELECT count(*)::int AS n FROM outbox WHERE id = ANY($1) AND sent_at IS NULL AND dead_at IS NULL`, [ids]);
      expect(held.rows[0].n).toBe(6);

      creds.mode = 'answer';
      const received = await receiveAll(sqs, queueUrl, 6, 40_000);
      expect(new Set(received.map((m) => m.MessageAttributes?.['outbox-message-id']?.StringValue))).toEqual(new Set(ids));
      await relay.waitForLog((l) => String(l.msg ?? '').includes('route (credentials) SnsTransport is no longer blocked (a message went out)'));
      relay.child.kill('SIGTERM');
      expect((await relay.exited).code).toBe(0);

      // One line for the whole transport, none per route or per message.
      const blockedLines = relay.logs.filter((l) => String(l.msg ?? '').includes('is blocked'));
      expect(blockedLines.map((l) => l.msg)).toEqual([expect.stringContaining('(credentials) SnsTransport')]);
      expect(relay.logs.filter((l) => l.msg === 'publish failed')).toEqual([]);
      // Every message sent at its first try: each blocked claim was given back with its try undone.
      const rows = await ctx.pool.query(`SELECT count(*)::int AS n FROM outbox WHERE id = ANY($1) AND sent_at IS NOT NULL AND dead_at IS NULL AND attempts = 1`, [ids]);
      expect(rows.rows[0].n).toBe(6);
    } finally {
      await creds.close();
      sns.destroy();
      sqs.destroy();
    }
  }, 90_000);
});
