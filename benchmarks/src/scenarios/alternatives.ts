import type { BenchContext } from '../support/BenchContext.js';
import { openBenchDatabase } from '../support/benchDatabase.js';
import { createTopic } from '../support/awsResources.js';
import { drainBacklog } from '../support/drainBacklog.js';
import { handWrittenRelay } from '../support/handWrittenRelay.js';
import { PEER_SETTINGS, drainWithPeer } from '../support/peerOutbox.js';
import { check, type ScenarioResult } from '../support/ScenarioResult.js';
import { rate } from '../support/stopwatch.js';
import { seedMessages } from '../sql/seedMessages.js';
import { TUNED_RELAY } from './relayThroughput.js';

/**
 * 2. The same drain (N ~500 B messages to the same SNS topic) by our relay, by the hand-written relay
 * (select 1,000 / Publish + UPDATE per row) and by pg-transactional-outbox's polling listener.
 */
export async function alternatives(ctx: BenchContext): Promise<ScenarioResult> {
  const n = ctx.sizes.alternativeMessages;
  const topicArn = await createTopic(ctx.sns, 'bench-alternatives');
  const db = await openBenchDatabase(ctx, 'alternatives');
  const notes: string[] = [];
  try {
    const table = await db.createOutbox('outbox');
    await seedMessages(db.pool, table, n);
    ctx.log(`  ours, ${n} messages`);
    const ours = await drainBacklog(db.pool, table, {
      databaseUrl: db.url, tableName: 'outbox', endpoint: ctx.endpoint, topicArn, transport: 'sns', listen: true, ...TUNED_RELAY,
    });
    await db.pool.query(`TRUNCATE ${table}`);
    await seedMessages(db.pool, table, n);
    ctx.log(`  hand-written relay`);
    const handMs = await handWrittenRelay(db.pool, table, ctx.sns, topicArn);
    const hand = rate(n, handMs);
    const figures: Record<string, number> = { 'ours msg/s': ours.msgPerSec, 'hand-written msg/s': hand };
    const checks = [check('ours ÷ hand-written', ours.msgPerSec / hand, '>=', 10)];
    ctx.log(`  pg-transactional-outbox 0.5.7 (polling listener)`);
    try {
      const peer = await drainWithPeer(db.pool, db.url, new URL(db.url).pathname.slice(1), ctx.sns, topicArn, n);
      figures['pg-transactional-outbox msg/s'] = peer.msgPerSec;
      checks.push(check('ours ÷ pg-transactional-outbox', ours.msgPerSec / peer.msgPerSec, '>=', 1));
    } catch (error) {
      notes.push(`pg-transactional-outbox could not be run: ${String(error)}`);
    }
    figures.messages = n;
    return {
      id: 'alternatives',
      title: '2. Against the alternatives',
      figures,
      settings: { ...TUNED_RELAY, peerBatchSize: PEER_SETTINGS.nextMessagesBatchSize, peerPollingIntervalMs: PEER_SETTINGS.nextMessagesPollingIntervalInMs },
      checks,
      notes,
    };
  } finally {
    await db.close();
  }
}
