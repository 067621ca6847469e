// Two small rules the relay's decisions rest on, pinned exactly (mutation testing found them loose):
// the retry backoff with its jitter, and the ordered rule's gate.
import { describe, expect, it } from 'vitest';
import type { OutboxMessage } from '../src/OutboxMessage.js';
import { computeBackoff } from '../src/relay/computeBackoff.js';
import { GroupGate } from '../src/relay/GroupGate.js';

const policy = { initialIntervalMs: 1_000, backoffCoefficient: 2, maxIntervalMs: 60_000, jitter: 0.2 };

describe('computeBackoff', () => {
  it('doubles from initialIntervalMs per try, capped at maxIntervalMs, spread by ±jitter', () => {
    const middle = () => 0.5; // no spread
    expect([1, 2, 3, 4].map((attempts) => computeBackoff(attempts, policy, middle))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(computeBackoff(20, policy, middle)).toBe(60_000);
    expect(computeBackoff(0, policy, middle)).toBe(1_000);
    // random() = 0 is the low end of the spread, random() → 1 the high end.
    expect(computeBackoff(2, policy, () => 0)).toBe(1_600);
    expect(computeBackoff(2, policy, () => 1)).toBe(2_400);
    expect(computeBackoff(2, policy, () => 0.75)).toBe(2_200);
  });
});

const message = (id: string, groupKey: string | null): OutboxMessage =>
  ({ id, seq: id, subject: 's', payload: '{}', headers: {}, groupKey, dedupId: null, createdAt: new Date(0), attempts: 1 });

describe('GroupGate', () => {
  it('in ordered mode holds back the rest of a group after its first failure, keeping the first fate', () => {
    const gate = new GroupGate<string>(true);
    expect(gate.heldBy(message('1', 'g'))).toBeUndefined();
    gate.close(message('1', 'g'), 'first');
    gate.close(message('2', 'g'), 'second');
    expect(gate.heldBy(message('3', 'g'))).toBe('first');
    expect(gate.heldBy(message('4', 'h'))).toBeUndefined();
  });

  it('never holds back a message without a group, nor anything in unordered mode', () => {
    const ordered = new GroupGate(true);
    ordered.close(message('1', null), true);
    expect(ordered.heldBy(message('2', null))).toBeUndefined();
    const unordered = new GroupGate(false);
    unordered.close(message('1', 'g'), true);
    expect(unordered.heldBy(message('2', 'g'))).toBeUndefined();
  });

  it('reports a held-back message as retry, naming its group', () => {
    expect(new GroupGate(true).heldBack(message('9', 'g'))).toEqual({ id: '9', status: 'retry', error: 'not sent: an earlier message of group g failed' });
  });
});
