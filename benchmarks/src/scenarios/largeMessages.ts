import { randomUUID } from 'node:crypto';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, DeleteQueueCommand } from '@aws-sdk/client-sqs';
import type { BenchContext } from '../support/BenchContext.js';
import { bareLargeSendLoop } from '../support/bareLargeSendLoop.js';
import { openBenchDatabase } from '../support/benchDatabase.js';
import { drainBacklog } from '../support/drainBacklog.js';
import { check, type ScenarioResult } from '../support/ScenarioResult.js';
import { seedMessages } from '../sql/seedMessages.js';
import type { RelayWorkerConfig } from '../workers/RelayWorkerConfig.js';

export const LARGE_MESSAGES_TITLE = 'Large messages to SQS: 100 KiB, 900 KiB, 5 MiB claim-checked (issue 27)';

/** Fewer rows per claim than the small-message scenarios: a claim of 20 rows of 5 MiB is 100 MB in memory. */
const LARGE_RELAY = { batchSize: 20, maxInFlight: 4, concurrency: 4, pollIntervalMs: 1000 } as const;

interface Case {
  label: string;
  fillerBytes: number;
  messages: { quick: number; full: number };
  claimCheck: boolean;
}

const CASES: Case[] = [
  { label: '100 KiB', fillerBytes: 100 * 1024, messages: { quick: 20, full: 2_000 }, claimCheck: false },
  { label: '900 KiB', fillerBytes: 900 * 1024, messages: { quick: 8, full: 400 }, claimCheck: false },
  { label: '5 MiB claim-checked', fillerBytes: 5 * 1024 * 1024, messages: { quick: 4, full: 100 }, claimCheck: true },
];

const cpuMicros = (r: { cpuUserMicros: number; cpuSystemMicros: number }) => r.cpuUserMicros + r.cpuSystemMicros;

/**
 * Drains N pending rows of each size to an SQS queue (1 MiB per message and per call) with the relay
 * in its own process, next to a bare SendMessageBatch loop sending the same payload sizes at the calls
 * in flight the relay can have (for 5 MiB: PutObject to S3 and a pointer, both sides). Figures: msg/s
 * and CPU µs per message of each, and relay ÷ bare.
 */
export async function largeMessages(ctx: BenchContext): Promise<ScenarioResult> {
  const s3 = new S3Client({ endpoint: ctx.endpoint, forcePathStyle: true });
  const bucket = `bench-large-${randomUUID().slice(0, 8)}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const db = await openBenchDatabase(ctx, 'large_messages');
  const figures: Record<string, number> = {};
  const checks: ScenarioResult['checks'] = [];
  const queues: string[] = [];
  const newQueue = async (name: string) => {
    const { QueueUrl } = await ctx.sqs.send(new CreateQueueCommand({ QueueName: `${name}-${randomUUID().slice(0, 8)}` }));
    queues.push(QueueUrl!);
    return QueueUrl!;
  };
  try {
    const table = await db.createOutbox('outbox');
    for (const c of CASES) {
      const n = ctx.quick ? c.messages.quick : c.messages.full;
      const queueUrl = await newQueue('bench-large-relay');
      await db.pool.query(`TRUNCATE ${table}`);
      await seedMessages(db.pool, table, n, { subject: 'bench.large', fillerBytes: c.fillerBytes });
      ctx.log(`  relay → SQS, ${n} messages of ${c.label}`);
      const config: RelayWorkerConfig = {
        databaseUrl: db.url,
        tableName: 'outbox',
        endpoint: ctx.endpoint,
        topicArn: '',
        transport: 'sqs',
        queueUrl,
        claimCheckBucket: c.claimCheck ? bucket : undefined,
        listen: true,
        ...LARGE_RELAY,
      };
      const relay = await drainBacklog(db.pool, table, config);
      const relayCpu = relay.reports.reduce((sum, r) => sum + cpuMicros(r), 0) / relay.messages;
      // The relay's calls in flight: maxInFlight claims, each up to `concurrency` calls of its broker batches.
      const perCall = c.claimCheck ? 10 : Math.max(1, Math.min(10, Math.floor(1_048_576 / (c.fillerBytes + 200))));
      const inFlight = LARGE_RELAY.maxInFlight * Math.min(LARGE_RELAY.concurrency, Math.ceil(LARGE_RELAY.batchSize / perCall));
      ctx.log(`  bare SendMessageBatch loop at ${inFlight} in flight, same sizes`);
      const bare = await bareLargeSendLoop(ctx.sqs, await newQueue('bench-large-bare'), {
        messages: n,
        fillerBytes: c.fillerBytes,
        concurrency: inFlight,
        claimCheck: c.claimCheck ? { s3, bucket } : undefined,
      });
      figures[`${c.label}: relay msg/s`] = relay.msgPerSec;
      figures[`${c.label}: bare loop msg/s`] = bare.msgPerSec;
      figures[`${c.label}: relay CPU µs/msg`] = relayCpu;
      figures[`${c.label}: bare loop CPU µs/msg`] = bare.cpuMicrosPerMessage;
      figures[`${c.label}: messages`] = n;
      checks.push(check(`${c.label}: relay ÷ bare loop msg/s`, relay.msgPerSec / bare.msgPerSec, '>=', 0.8));
      // Free the emulator's memory before the next size.
      for (const q of queues.splice(0)) await ctx.sqs.send(new DeleteQueueCommand({ QueueUrl: q }));
    }
    return {
      id: 'large-messages',
      title: LARGE_MESSAGES_TITLE,
      figures,
      settings: { ...LARGE_RELAY, target: 'SQS queue (MaximumMessageSize 1 MiB); claim-check to an S3 bucket on the same endpoint' },
      checks,
      notes: [
        'the bare loop sends as many messages per call as 10 entries and 1 MiB allow (100 KiB: 10, 900 KiB: 1), at the relay\'s calls in flight; it reads no database',
        'CPU µs/msg: the relay process (claim, publish, mark) against the bare loop in the bench process',
      ],
    };
  } finally {
    for (const q of queues) await ctx.sqs.send(new DeleteQueueCommand({ QueueUrl: q })).catch(() => undefined);
    s3.destroy();
    await db.close();
  }
}
