// The operator's view of a blocked route during a scenario: the relays' /readyz and /metrics, polled
// over HTTP while the fault lasts and once more after it is fixed (relayProbe.ts reads one relay).
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import type { Cast } from './Cast.js';
import type { RelayChild } from './processes.js';
import { publishedSoFar } from './publishedSoFar.js';
import { probeRelay, type RelayProbe } from './relayProbe.js';

/** A route as the two endpoints name it: /readyz by the route (a topic ARN), /metrics by its destination name. */
export interface ProbedRoute {
  ready: string;
  metric: string;
}

/** What the probes saw of one scenario's blocked route; the report checks it (report.ts). */
export interface RouteProbeFacts {
  /** A relay's /readyz listed the route blocked while the fault lasted. */
  seenOnReadyz: boolean;
  /** A relay's `outbox_route_blocked{route=…}` was 1 while the fault lasted. */
  seenOnMetrics: boolean;
  /** From the fault's relays running to both being seen (a figure for the report, never asserted). */
  seenAfterMs: number | null;
  /** /readyz statuses seen while it listed the route (200: a blocked route is shown, not a readiness failure). */
  readyStatusesWhileBlocked: number[];
  /** After the fix, once the route's backlog is published: every relay answered and none showed any route blocked. */
  clearAfterFix: boolean | null;
  /** Probe requests that failed (a relay restarting): retried, reported. */
  probeErrors: number;
}

const POLL_MS = 250;

/** Probes `relays` until some relay showed `route` blocked on /readyz and on /metrics, or `deadline` (epoch ms) passes. */
export async function watchRouteBlocked(relays: () => RelayChild[], route: ProbedRoute, deadline: number): Promise<RouteProbeFacts> {
  const startedAt = Date.now();
  const facts: RouteProbeFacts = { seenOnReadyz: false, seenOnMetrics: false, seenAfterMs: null, readyStatusesWhileBlocked: [], clearAfterFix: null, probeErrors: 0 };
  while (!(facts.seenOnReadyz && facts.seenOnMetrics) && Date.now() < deadline) {
    for (const probe of await probeAll(relays(), facts)) {
      if (probe.readyBlocked.some((line) => line.startsWith(`${route.ready} (`))) {
        facts.seenOnReadyz = true;
        if (!facts.readyStatusesWhileBlocked.includes(probe.readyStatus)) facts.readyStatusesWhileBlocked.push(probe.readyStatus);
      }
      if (probe.metricBlocked.includes(route.metric)) facts.seenOnMetrics = true;
    }
    if (!(facts.seenOnReadyz && facts.seenOnMetrics)) await sleep(POLL_MS);
  }
  if (facts.seenOnReadyz && facts.seenOnMetrics) facts.seenAfterMs = Date.now() - startedAt;
  return facts;
}

/**
 * After a fix: waits (60 s at most) until everything committed so far is published, then (30 s at most)
 * until the relays' probes show no route blocked and every relay ready (a relay just restarted is ready
 * once its first claim returned); sets `facts.clearAfterFix` to whether both happened.
 */
export async function checkClearAfterFix(pool: pg.Pool, relays: RelayChild[], facts: RouteProbeFacts): Promise<void> {
  if (!(await publishedSoFar(pool, Date.now() + 60_000))) return void (facts.clearAfterFix = false);
  const deadline = Date.now() + 30_000;
  let clear = await showNoBlockedRoute(relays, facts);
  while (!clear && Date.now() < deadline) {
    await sleep(POLL_MS);
    clear = await showNoBlockedRoute(relays, facts);
  }
  facts.clearAfterFix = clear;
}

/** Whether every relay answers 200 on /readyz and shows no route blocked on /readyz nor on /metrics. */
async function showNoBlockedRoute(relays: RelayChild[], facts: RouteProbeFacts): Promise<boolean> {
  const probes = await probeAll(relays, facts);
  return probes.length === relays.length && probes.every((p) => p.readyStatus === 200 && p.readyBlocked.length === 0 && p.metricBlocked.length === 0);
}

/** One probe of a relay, or undefined when it does not answer (or its port is not known within 5 s). */
export async function probeChild(relay: RelayChild, facts: RouteProbeFacts): Promise<RelayProbe | undefined> {
  const port = await Promise.race([relay.httpPort, sleep(5_000).then(() => undefined)]);
  if (port === undefined) return void facts.probeErrors++;
  return probeRelay(port).catch(() => void facts.probeErrors++);
}

/** One probe of each relay that answers. */
async function probeAll(relays: RelayChild[], facts: RouteProbeFacts): Promise<RelayProbe[]> {
  return (await Promise.all(relays.map((relay) => probeChild(relay, facts)))).filter((p): p is RelayProbe => p !== undefined);
}

/** Waits (until `deadline`, epoch ms) until every relay of the cast answers 200 on /readyz; whether they did. */
export async function allReady(cast: Cast, facts: RouteProbeFacts, deadline: number): Promise<boolean> {
  for (;;) {
    const probes = await probeAll([...cast.relays.values()], facts);
    if (probes.length === cast.relays.size && probes.every((p) => p.readyStatus === 200)) return true;
    if (Date.now() >= deadline) return false;
    await sleep(250);
  }
}
