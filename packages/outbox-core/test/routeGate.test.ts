// The relay's memory of blocked routes, on its own clock: a route is reported blocked once (with a
// growing backoff), unblocked when one of its messages goes out or when it is no longer seen failing
// for its backoff plus staleAfterMs, each change said once (event and log line naming the route).
import { describe, expect, it } from 'vitest';
import type { RelayEvents } from '../src/relay/RelayEvents.js';
import { RouteGate } from '../src/relay/RouteGate.js';
import { SafeEmitter } from '../src/relay/SafeEmitter.js';
import type { PublishResult } from '../src/Transport.js';

const topic = 'arn:aws:sns:eu-west-1:1:payments';
const other = 'arn:aws:sns:eu-west-1:1:orders';
const blocked = (route: string, error = 'AuthorizationError: denied', code: string | undefined = 'AuthorizationError'): PublishResult => ({
  id: `m-${Math.random()}`,
  status: 'blocked',
  route,
  error,
  code,
});
const sent = (route?: string): PublishResult => ({ id: `m-${Math.random()}`, status: 'sent', ...(route === undefined ? {} : { route }) });

function gate(staleAfterMs = 5_000) {
  let t = 10_000;
  const events = new SafeEmitter<RelayEvents>({ error() {} });
  const seen: string[] = [];
  const logs: { level: string; message: string }[] = [];
  events.on('route:blocked', ({ route, code, error, retryInMs }) => void seen.push(`blocked ${route} ${code} ${error} ${retryInMs > 0}`));
  events.on('route:unblocked', ({ route, blockedMs, reason }) => void seen.push(`unblocked ${route} ${reason} ${blockedMs}`));
  const g = new RouteGate({ relayId: 'r1', events, log: (level, message) => void logs.push({ level, message }), staleAfterMs, clock: () => t });
  return { g, seen, logs, at: (ms: number) => void (t = 10_000 + ms) };
}

describe('RouteGate', () => {
  it('reports a route blocked once, with the first error, and backs off longer when it fails again after its wait', () => {
    const { g, seen, logs, at } = gate();
    g.observe([blocked(topic, 'AuthorizationError: first'), blocked(topic, 'AuthorizationError: second')]);
    const first = g.delayMs(topic);
    expect(first).toBeGreaterThanOrEqual(800);
    expect(first).toBeLessThanOrEqual(1_200);
    at(first);
    g.observe([blocked(topic)]);
    expect(g.delayMs(topic)).toBeGreaterThanOrEqual(1_600);
    expect(g.delayMs(topic)).toBeLessThanOrEqual(2_400);
    expect(seen).toEqual([`blocked ${topic} AuthorizationError AuthorizationError: first true`]);
    expect(logs).toEqual([{ level: 'error', message: expect.stringContaining(`route ${topic} is blocked (AuthorizationError): AuthorizationError: first.`) }]);
    expect(g.list()).toEqual([{ route: topic, error: 'AuthorizationError: denied', code: 'AuthorizationError', since: new Date(10_000), retryInMs: g.delayMs(topic), scope: 'route' }]);
    expect(g.delayMs(other)).toBe(0);
  });

  it('counts batches that fail before the wait ran out as one failure, so a short outage keeps a short wait', () => {
    // Several batches in flight (or several relays) meet the broken route at once.
    const { g, seen, at } = gate();
    for (let i = 0; i < 50; i++) {
      at(i * 10);
      g.observe([blocked(topic)]);
    }
    expect(seen).toHaveLength(1);
    expect(g.delayMs(topic)).toBeGreaterThanOrEqual(800);
    expect(g.delayMs(topic)).toBeLessThanOrEqual(1_200);
  });

  it('says "no code" when the transport gave none', () => {
    const { g, logs } = gate();
    g.observe([{ id: 'm-1', status: 'blocked', route: topic, error: 'NotFound' }]);
    expect(logs[0]!.message).toContain(`route ${topic} is blocked (no code): NotFound.`);
  });

  it('unblocks a route when one of its messages goes out, timed from its first failure', () => {
    const { g, seen, logs, at } = gate();
    g.observe([blocked(topic), blocked(other)]);
    at(500);
    g.observe([blocked(topic)]);
    at(800);
    g.observe([sent(), sent(`${topic}-never-blocked`), sent(topic)]);
    expect(seen.slice(2)).toEqual([`unblocked ${topic} sent 800`]);
    expect(logs.at(-1)).toEqual({ level: 'info', message: `Relay r1: route ${topic} is no longer blocked (a message went out) after 800 ms.` });
    expect(g.size).toBe(1);
    expect(g.delayMs(topic)).toBe(0);
    expect(g.list().map((r) => r.route)).toEqual([other]);
  });

  it('unblocks a route not seen failing for its backoff plus staleAfterMs, and not a moment before', () => {
    const { g, seen, logs, at } = gate(5_000);
    g.observe([blocked(topic)]);
    const delay = g.delayMs(topic);
    // Blocked later than the topic's backoff, so it cannot go stale first, whatever the jitter.
    at(delay + 1_000);
    g.observe([blocked(other)]);
    at(delay + 5_000);
    g.sweepStale();
    expect(seen).toHaveLength(2);
    at(delay + 5_001);
    g.sweepStale();
    expect(seen.slice(2)).toEqual([`unblocked ${topic} not-seen ${delay + 5_001}`]);
    expect(logs.at(-1)).toEqual({ level: 'info', message: `Relay r1: route ${topic} is no longer blocked (no longer seen failing) after ${delay + 5_001} ms.` });
    expect(g.list().map((r) => r.route)).toEqual([other]);
    at(delay + 1_000 + g.delayMs(other) + 5_001);
    g.sweepStale();
    expect(g.size).toBe(0);
  });
});

describe('RouteGate, a transport-wide block (credentials)', () => {
  const credentials = '(credentials) SnsTransport';
  const transportBlocked = (): PublishResult => ({ id: `m-${Math.random()}`, status: 'blocked', route: credentials, error: 'CredentialsProviderError: none', code: 'CredentialsProviderError', scope: 'transport' });

  it('is said once for every route, and lifted by a message sent on any route', () => {
    const { g, seen, logs } = gate();
    g.observe([transportBlocked(), transportBlocked(), transportBlocked()]);
    g.observe([transportBlocked()]);
    expect(logs).toEqual([{ level: 'error', message: expect.stringContaining('Every message of the transport waits without using a try') }]);
    expect(g.list()).toMatchObject([{ route: credentials, scope: 'transport' }]);

    g.observe([sent(other)]);

    expect(seen).toEqual([`blocked ${credentials} CredentialsProviderError CredentialsProviderError: none true`, `unblocked ${credentials} sent 0`]);
    expect(g.size).toBe(0);
  });

  it('is not lifted for a route block: a message sent on another route leaves a blocked route blocked', () => {
    const { g } = gate();
    g.observe([blocked(topic)]);
    g.observe([sent(other)]);
    expect(g.list().map((b) => b.route)).toEqual([topic]);
  });
});

describe('RouteGate, a route the transport found blocked by itself (report, recheck)', () => {
  const missing = (recheck: () => Promise<{ error: string; code?: string } | undefined>) => ({ route: topic, error: 'NotFound: Topic does not exist (GetTopicAttributes)', code: 'NotFound', recheck });

  it('is said once, never expires while its recheck still finds it broken, and is unblocked when the recheck finds it working', async () => {
    const { g, seen, at } = gate();
    let broken = true;
    let rechecks = 0;
    g.report(missing(async () => (rechecks++, broken ? { error: 'NotFound: still missing', code: 'NotFound' } : undefined)));
    expect(seen).toEqual([`blocked ${topic} NotFound NotFound: Topic does not exist (GetTopicAttributes) true`]);

    // Not rechecked before its backoff ran out.
    at(g.delayMs(topic) - 1);
    g.sweepStale();
    expect(rechecks).toBe(0);
    // Rechecked after it, still broken: blocked for longer, never swept as stale.
    at(g.delayMs(topic));
    g.sweepStale();
    await Promise.resolve();
    await Promise.resolve();
    expect(rechecks).toBe(1);
    at(600_000);
    g.sweepStale();
    await new Promise((resolve) => setImmediate(resolve));
    expect(g.list()).toMatchObject([{ route: topic, error: 'NotFound: still missing' }]);

    broken = false;
    at(1_200_000);
    g.sweepStale();
    await new Promise((resolve) => setImmediate(resolve));
    expect(g.size).toBe(0);
    expect(seen.at(-1)).toMatch(new RegExp(`^unblocked ${topic} not-seen`));
    expect(seen.filter((e) => e.startsWith('blocked'))).toHaveLength(1);
  });

  it('is unblocked by a message of it sent meanwhile, and a recheck ending after that changes nothing', async () => {
    const { g, seen, at } = gate();
    let finish!: (value: undefined) => void;
    g.report(missing(() => new Promise((resolve) => (finish = resolve))));
    at(g.delayMs(topic));
    g.sweepStale();
    g.observe([sent(topic)]);
    finish(undefined);
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen.filter((e) => e.startsWith('unblocked'))).toHaveLength(1);
    expect(seen.at(-1)).toMatch(/ sent /);
    expect(g.size).toBe(0);
  });
});

describe('RouteGate, sent results naming the routes they went through (via)', () => {
  it('lifts a blocked route a sent message went through, and not one it did not', () => {
    const { g, seen } = gate();
    const bucket = 's3://payloads/outbox/';
    g.observe([blocked(bucket, 'NoSuchBucket: The specified bucket does not exist', 'NoSuchBucket'), blocked(other)]);
    g.observe([{ id: 'm', status: 'sent', route: topic, via: [bucket] }]);
    expect(g.list().map((b) => b.route)).toEqual([other]);
    expect(seen.at(-1)).toBe(`unblocked ${bucket} sent 0`);
  });
});
