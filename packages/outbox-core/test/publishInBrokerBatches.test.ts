import { describe, expect, it } from 'vitest';
import type { OutboxMessage } from '../src/OutboxMessage.js';
import { publishInBrokerBatches } from '../src/relay/publishInBrokerBatches.js';
import type { PublishResult } from '../src/Transport.js';

let seq = 0;
function msg(id: string, groupKey: string | null = null): OutboxMessage {
  seq++;
  return { id, seq: String(seq), subject: 's', payload: '{}', headers: {}, groupKey, dedupId: null, createdAt: new Date(0), attempts: 1 };
}
const pairs = (msgs: readonly OutboxMessage[]) => {
  const out: OutboxMessage[][] = [];
  for (let i = 0; i < msgs.length; i += 2) out.push(msgs.slice(i, i + 2));
  return out;
};
const sentAll = async (brokerBatch: OutboxMessage[]): Promise<PublishResult[]> => brokerBatch.map((m) => ({ id: m.id, status: 'sent' }));

describe('publishInBrokerBatches', () => {
  it('returns one result per message in input order and never runs more than `concurrency` sends at once', async () => {
    const messages = Array.from({ length: 21 }, (_, i) => msg(`m${i}`));
    let running = 0;
    let maxRunning = 0;
    const results = await publishInBrokerBatches(messages, {
      split: pairs,
      send: async (brokerBatch) => {
        maxRunning = Math.max(maxRunning, ++running);
        await new Promise((r) => setImmediate(r));
        running--;
        return [...brokerBatch].reverse().map((m) => ({ id: m.id, status: 'sent' as const }));
      },
      concurrency: 3,
      ordered: false,
    });
    expect(results.map((r) => r.id)).toEqual(messages.map((m) => m.id));
    expect(results.every((r) => r.status === 'sent')).toBe(true);
    expect(maxRunning).toBe(3);
  });

  it('in ordered mode starts a broker batch holding a group only after the earlier broker batch of that group finished', async () => {
    const messages = [msg('a1', 'a'), msg('x1', 'x'), msg('a2', 'a'), msg('y1', 'y'), msg('z1', 'z')];
    const log: string[] = [];
    await publishInBrokerBatches(messages, {
      split: pairs,
      send: async (brokerBatch) => {
        log.push(`start ${brokerBatch[0]!.id}`);
        await new Promise((r) => setImmediate(r));
        log.push(`end ${brokerBatch[0]!.id}`);
        return sentAll(brokerBatch);
      },
      concurrency: 3,
      ordered: true,
    });
    // Broker batch [a2,y1] shares group a with [a1,x1]; [z1] is independent and runs alongside.
    expect(log.indexOf('start a2')).toBeGreaterThan(log.indexOf('end a1'));
    expect(log.indexOf('start z1')).toBeLessThan(log.indexOf('end a1'));
  });

  it('in ordered mode does not send the later messages of a group that failed and reports them as retry', async () => {
    const messages = [msg('a1', 'a'), msg('b1', 'b'), msg('a2', 'a'), msg('b2', 'b'), msg('a3', 'a')];
    const sent: string[] = [];
    const results = await publishInBrokerBatches(messages, {
      split: pairs,
      send: async (brokerBatch) =>
        brokerBatch.map((m): PublishResult => {
          if (m.id === 'a1') return { id: m.id, status: 'retry', error: 'Throttled' };
          sent.push(m.id);
          return { id: m.id, status: 'sent' };
        }),
      concurrency: 4,
      ordered: true,
    });
    expect(sent).toEqual(['b1', 'b2']);
    expect(results).toEqual([
      { id: 'a1', status: 'retry', error: 'Throttled' },
      { id: 'b1', status: 'sent' },
      { id: 'a2', status: 'retry', error: 'not sent: an earlier message of group a failed' },
      { id: 'b2', status: 'sent' },
      { id: 'a3', status: 'retry', error: 'not sent: an earlier message of group a failed' },
    ]);
  });

  it('in unordered mode a failure does not hold back other messages of the group', async () => {
    const messages = [msg('a1', 'a'), msg('b1'), msg('a2', 'a')];
    const results = await publishInBrokerBatches(messages, {
      split: pairs,
      send: async (brokerBatch) => brokerBatch.map((m): PublishResult => (m.id === 'a1' ? { id: m.id, status: 'permanent', error: 'NotFound' } : { id: m.id, status: 'sent' })),
      concurrency: 2,
      ordered: false,
    });
    expect(results.map((r) => r.status)).toEqual(['permanent', 'sent', 'sent']);
  });

  it('turns a send that throws into retry results with the error text, for that broker batch only', async () => {
    const messages = [msg('m1'), msg('m2'), msg('m3')];
    const results = await publishInBrokerBatches(messages, {
      split: pairs,
      send: async (brokerBatch) => {
        if (brokerBatch[0]!.id === 'm1') throw new Error('socket hang up');
        return sentAll(brokerBatch);
      },
      concurrency: 2,
      ordered: false,
    });
    expect(results).toEqual([
      { id: 'm1', status: 'retry', error: 'Error: socket hang up' },
      { id: 'm2', status: 'retry', error: 'Error: socket hang up' },
      { id: 'm3', status: 'sent' },
    ]);
  });

  it('reports a message the send left without a result as retry', async () => {
    const results = await publishInBrokerBatches([msg('m1'), msg('m2')], {
      split: (m) => [[...m]],
      send: async (brokerBatch) => [{ id: brokerBatch[0]!.id, status: 'sent' }],
      concurrency: 1,
      ordered: false,
    });
    expect(results[1]).toMatchObject({ id: 'm2', status: 'retry' });
  });

  it('in ordered mode holds back the later messages of a group whose message was refused, within and across broker batches', async () => {
    // a1 is refused before sending; a2 shares its broker batch, a3 is in a later one: neither is sent.
    const messages = [msg('a1', 'a'), msg('a2', 'a'), msg('b1', 'b'), msg('a3', 'a')];
    const sent: string[] = [];
    const results = await publishInBrokerBatches(messages, {
      refuse: (m) => (m.id === 'a1' ? { id: m.id, status: 'permanent', error: 'MessageTooLargeError' } : undefined),
      split: pairs,
      send: async (brokerBatch) => {
        sent.push(...brokerBatch.map((m) => m.id));
        return sentAll(brokerBatch);
      },
      concurrency: 2,
      ordered: true,
    });
    expect(sent).toEqual(['b1']);
    expect(results).toEqual([
      { id: 'a1', status: 'permanent', error: 'MessageTooLargeError' },
      { id: 'a2', status: 'retry', error: 'not sent: an earlier message of group a failed' },
      { id: 'b1', status: 'sent' },
      { id: 'a3', status: 'retry', error: 'not sent: an earlier message of group a failed' },
    ]);
  });

  it('refuses a concurrency below 1 with InvalidOptionError', async () => {
    await expect(publishInBrokerBatches([], { split: pairs, send: sentAll, concurrency: 0, ordered: false })).rejects.toMatchObject({
      name: 'InvalidOptionError',
      option: 'concurrency',
    });
  });
});
