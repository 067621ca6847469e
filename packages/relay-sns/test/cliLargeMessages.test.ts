// The outbox-relay sidecar with large messages: its settings, claim-check through fauxqs's S3, and a
// message too large for its route held (not dead) and shown on /readyz.
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, inject, it } from 'vitest';
import { awsConfig, createQueue, createTopic, receiveAll, subscribeQueue, uniqueName } from './support/aws.js';
import { useCliDatabase } from './support/cliDatabase.js';
import { runCli, startCli } from './support/cliProcess.js';

const ctx = useCliDatabase('clilarge');

/** Rows of `subject` whose payload is about `kib` KiB. */
async function insertSized(subject: string, count: number, kib: number): Promise<string[]> {
  const { rows } = await ctx.pool.query<{ id: string }>(
    `INSERT INTO outbox (id, subject, payload, headers)
     SELECT gen_random_uuid(), $1, jsonb_build_object('n', n, 'pad', repeat('x', $3 * 1024)), '{}'::jsonb FROM generate_series(1, $2) n
     RETURNING id`,
    [subject, count, kib],
  );
  return rows.map((r) => r.id);
}

describe('outbox-relay large-message settings', () => {
  it('exits 2 naming the variable: OUTBOX_MAX_MESSAGE_BYTES out of range, a bucket without targets, a target no route goes to', async () => {
    const base = { DATABASE_URL: ctx.db.url, OUTBOX_ROUTES: 'a=arn:aws:sns:us-east-1:000000000000:a' };
    const size = await runCli(['run'], { ...base, OUTBOX_MAX_MESSAGE_BYTES: '2000000' });
    expect(size.code).toBe(2);
    expect(size.stderr.join('\n')).toMatch(/OUTBOX_MAX_MESSAGE_BYTES .*1024 to 1048576/);
    const bucketOnly = await runCli(['run'], { ...base, OUTBOX_CLAIM_CHECK_BUCKET: 'payloads' });
    expect(bucketOnly.code).toBe(2);
    expect(bucketOnly.stderr.join('\n')).toMatch(/OUTBOX_CLAIM_CHECK_TARGETS/);
    const badBucket = await runCli(['run'], { ...base, OUTBOX_CLAIM_CHECK_BUCKET: 'Bad_Bucket', OUTBOX_CLAIM_CHECK_TARGETS: '*' });
    expect(badBucket.code).toBe(2);
    expect(badBucket.stderr.join('\n')).toMatch(/OUTBOX_CLAIM_CHECK_BUCKET .*S3 bucket name/);
    const stray = await runCli(['run'], { ...base, OUTBOX_CLAIM_CHECK_BUCKET: 'payloads', OUTBOX_CLAIM_CHECK_TARGETS: 'arn:aws:sns:us-east-1:000000000000:other' });
    expect(stray.code).toBe(2);
    expect(stray.stderr.join('\n')).toMatch(/OUTBOX_CLAIM_CHECK_TARGETS names .*other.*which no route of OUTBOX_ROUTES goes to/);
  });

  it('run claim-checks 300 KiB rows of a listed topic through S3, holds those of an unlisted default topic (not dead, on /readyz), and small rows flow', async () => {
    expect((await runCli(['migrate'], { DATABASE_URL: ctx.db.url })).code).toBe(0);
    const sns = new SNSClient(awsConfig());
    const sqs = new SQSClient(awsConfig());
    const s3 = new S3Client({ ...awsConfig(), forcePathStyle: true });
    const bucket = uniqueName('sidecar-payloads');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const [listedTopic, plainTopic] = [await createTopic(sns, 'cli-cc'), await createTopic(sns, 'cli-plain')];
    const [listedQueue, plainQueue] = [await createQueue(sqs, 'cli-cc'), await createQueue(sqs, 'cli-plain')];
    await subscribeQueue(sns, sqs, listedTopic, listedQueue, true);
    await subscribeQueue(sns, sqs, plainTopic, plainQueue, true);
    const relay = startCli(['run', '--poll-interval-ms', '100'], {
      DATABASE_URL: ctx.db.url,
      AWS_ENDPOINT_URL: inject('awsEndpoint'),
      OUTBOX_HTTP_PORT: '0',
      OUTBOX_ROUTES: `doc.*=${listedTopic},plain.*=${plainTopic}`,
      OUTBOX_CLAIM_CHECK_BUCKET: bucket,
      OUTBOX_CLAIM_CHECK_TARGETS: listedTopic,
      OUTBOX_CLAIM_CHECK_KEY_PREFIX: 'outbox/',
    });
    ctx.running.push(relay);
    const listening = await relay.waitForLog((l) => l.msg === 'outbox-relay listening');
    await relay.waitForLog((l) => l.msg === 'outbox-relay started');
    const large = await insertSized('doc.stored', 2, 300);
    const held = await insertSized('plain.stored', 2, 300);
    const small = await insertSized('plain.stored', 3, 1);

    const offloaded = await receiveAll(sqs, listedQueue, 2);
    expect(new Set(offloaded.map((m) => m.MessageAttributes?.['outbox-message-id']?.StringValue))).toEqual(new Set(large));
    for (const m of offloaded) {
      const id = m.MessageAttributes!['outbox-message-id']!.StringValue!;
      expect(JSON.parse(m.Body!)).toEqual(['software.amazon.payloadoffloading.PayloadS3Pointer', { s3BucketName: bucket, s3Key: `outbox/${id}` }]);
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `outbox/${id}` }));
      expect(JSON.parse(await object.Body!.transformToString())).toMatchObject({ pad: 'x'.repeat(300 * 1024) });
    }
    const flowed = await receiveAll(sqs, plainQueue, 3);
    expect(new Set(flowed.map((m) => m.MessageAttributes?.['outbox-message-id']?.StringValue))).toEqual(new Set(small));

    const base = `http://127.0.0.1:${listening.port}`;
    const sizeRoute = `${plainTopic} (size limit)`;
    let blocked: Array<{ route: string; code: string | null }> = [];
    for (let i = 0; i < 100 && !blocked.some((b) => b.route === sizeRoute); i++) {
      blocked = ((await (await fetch(`${base}/readyz`)).json()) as { blockedRoutes: typeof blocked }).blockedRoutes;
      if (!blocked.some((b) => b.route === sizeRoute)) await new Promise((r) => setTimeout(r, 100));
    }
    expect(blocked).toContainEqual(expect.objectContaining({ route: sizeRoute, code: 'MessageTooLarge' }));
    await relay.waitForLog((l) => String(l.msg ?? '').includes(`route ${sizeRoute} is blocked (MessageTooLarge)`));
    relay.child.kill('SIGTERM');
    expect((await relay.exited).code).toBe(0);

    const rows = await ctx.pool.query(`SELECT id, sent_at, dead_at, attempts FROM outbox WHERE id = ANY($1)`, [[...large, ...held]]);
    const byId = new Map(rows.rows.map((r) => [r.id, r]));
    for (const id of large) expect(byId.get(id)!.sent_at).not.toBeNull();
    for (const id of held) expect(byId.get(id)).toMatchObject({ sent_at: null, dead_at: null, attempts: 0 });
    sns.destroy();
    sqs.destroy();
    s3.destroy();
  });
});
