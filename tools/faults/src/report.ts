import { CLOCK_SKEWS } from './clockSkew.js';
import { FAULTS_THAT_STOP_NOTHING, RECOVERY_BOUND_MS } from './measuredFault.js';
import type { Tally } from './readTally.js';
import type { RouteProbeFacts } from './routeProbes.js';
import type { RunCounters } from './RunCounters.js';
import type { Scenario } from './scenario.js';
import { ORDER_SUBJECT } from './names.js';
import { slowHandlerFailures } from './slowHandlers.js';

/** The machine-readable summary, printed as one `FAULTS_SUMMARY {...}` line (the CI test reads it). */
export interface Summary {
  size: string;
  committed: number;
  rolledBack: number;
  producerFailures: number;
  published: number;
  delivered: number;
  handledExactlyOnce: number;
  handledMoreThanOnce: number;
  duplicatesSuppressed: number;
  redeliveredWhileInProgress: number;
  lost: number;
  phantom: number;
  deadLettered: number;
  /** Messages SQS moved to the queue's dead-letter queue (redrive policy): none may be healthy, so 0. */
  sqsDeadLettered: number;
  poison: number;
  dead: Array<{ kind: string; attempts: number; lastError: string | null }>;
  faults: Record<string, number>;
  drainAfterLastFaultMs: number | null;
  /** Per scenario that blocks healthy traffic: the longest commit→publish wait of messages committed during it. */
  heldUpMs: Record<string, number>;
  /** Per such scenario: how long it lasted, so held up after it cleared = heldUpMs − faultMs (at most RECOVERY_BOUND_MS). */
  faultMs: Record<string, number>;
  /** Per scenario that must block a route: relay log lines saying its route was blocked (each needs at least one). */
  routeBlockedLogLines: Record<string, number>;
  /** Per scenario that blocks a route: what the relays' /readyz and /metrics showed, polled over HTTP. */
  routeProbes: Record<string, RouteProbeFacts>;
  /** Rolling deploy: the new subject's committed messages, of those handled exactly once, and dead (must be 0). */
  newSubject: Tally['newSubject'];
  /** Rolling deploy: an old relay published the old subject while it held the new subject's route blocked. */
  oldRelaysKeptPublishing: boolean | null;
  /** Log lines of the children carrying the database password (0, or the run fails). */
  logLinesWithPassword: number;
  /** Per skewed relay, the clock offset its own log timestamps showed (clockSkew.ts); must be its configured skew. */
  clockSkewSeenMs: Record<string, number | null>;
  /** What the silent-database scenario saw (silentDatabase.ts). */
  silentDatabase: RunCounters['silentDatabase'] | null;
  /** What the read-only-standby scenario saw (readOnlyStandby.ts). */
  readOnlyStandby: RunCounters['readOnlyStandby'] | null;
  /** What the database-failover scenario saw (databaseFailover.ts). */
  databaseFailover: RunCounters['databaseFailover'] | null;
  /** What the held-snapshot scenario saw (heldSnapshot.ts). */
  heldSnapshot: RunCounters['heldSnapshot'] | null;
  passed: boolean;
  failures: string[];
}

export interface RunFacts {
  scenario: Scenario;
  counters: RunCounters;
  tally: Tally;
  drainAfterLastFaultMs: number | null;
  unexpectedExits: string[];
  /** `name: code` of every process that did not exit 0 on the final SIGTERM. */
  badShutdowns: string[];
  /** Log lines of the children that contain the database password (must be none). */
  passwordInLogs: string[];
  /** See {@link Summary.routeBlockedLogLines}. */
  routeBlockedLogLines: Record<string, number>;
  /** See {@link Summary.heldUpMs}. */
  heldUpMs: Record<string, number>;
  /** See {@link Summary.sqsDeadLettered}. */
  sqsDeadLettered: number;
  /** See {@link Summary.clockSkewSeenMs}. */
  clockSkewSeenMs: Record<string, number | null>;
}

/** The faults each scenario of the run injects exactly once (relay SIGKILLs are checked apart: many). */
const FAULTS_ONCE = ['broker-outage', 'postgres-restart', 'consumer-sigkill-mid-handler', 'poison', 'slow-handlers', 'forbidden-endpoint', 'wrong-topic-arn', 'throttling-storm', 'rolling-deploy', 'silent-database', 'clock-skew', 'read-only-standby', 'database-failover', 'held-snapshot'] as const;

/** The scenarios whose blocked route the relays' /readyz and /metrics must show (routeProbes.ts). */
const PROBED = ['wrong-topic-arn', 'rolling-deploy'] as const;

const PERMANENT_REASON: Record<string, RegExp> = { oversize: /MessageTooLargeError/, attributes: /TooManyAttributesError/ };

/** Checks every promise of the outbox against the facts; returns the summary with the failed checks. */
export function summarize(facts: RunFacts): Summary {
  const { scenario, counters, tally } = facts;
  const failures: string[] = [];
  const check = (ok: boolean, what: string) => void (ok || failures.push(what));
  const poisonById = new Map(counters.poisonIds.map((p) => [p.id, p.kind]));
  const faults: Record<string, number> = {};
  for (const f of counters.faults) faults[f.kind] = (faults[f.kind] ?? 0) + 1;

  check(counters.committed >= scenario.commits, `producer committed ${counters.committed} of ${scenario.commits}`);
  check(tally.committed === counters.committed + tally.failedThatCommitted, `orders ${tally.committed} ≠ committed ${counters.committed} + failed-but-committed ${tally.failedThatCommitted}`);
  check(counters.rolledBack.length > 0 && tally.rolledBackInOrders === 0, `rolled-back orders found in the orders table: ${tally.rolledBackInOrders}`);
  check(tally.rolledBackHandled === 0, `rolled-back orders handled: ${tally.rolledBackHandled}`);
  check(tally.ordersWithoutEvent === 0, `committed orders without an outbox event: ${tally.ordersWithoutEvent}`);
  check(tally.eventsWithoutOrder === 0, `outbox events of orders that were never committed: ${tally.eventsWithoutOrder}`);
  check(tally.outbox.pending === 0, `outbox rows still pending: ${tally.outbox.pending}`);
  check(tally.outbox.sent === tally.committed, `published (sent rows) ${tally.outbox.sent} ≠ committed ${tally.committed}`);
  check(tally.lost === 0, `lost (committed, never handled): ${tally.lost}`);
  check(tally.phantom === 0, `phantom (handled, never committed): ${tally.phantom}`);
  check(tally.handledMoreThanOnce === 0, `orders whose effect was applied more than once: ${tally.handledMoreThanOnce}`);
  check(tally.handledWrongId === 0, `handled rows with the wrong outbox id: ${tally.handledWrongId}`);
  check(tally.handledRefs === tally.committed, `handled ${tally.handledRefs} ≠ committed ${tally.committed}`);
  check(counters.deliveries.mismatch === 0, `payload mismatches reported by the inbox store: ${counters.deliveries.mismatch}`);
  check(counters.poisonIds.length === 2, `poison messages injected: ${counters.poisonIds.length} (expected 2)`);
  check(tally.dead.length === counters.poisonIds.length, `dead-lettered ${tally.dead.length} ≠ poison ${counters.poisonIds.length}`);
  for (const row of tally.dead) {
    const kind = poisonById.get(row.id);
    if (!kind) {
      check(false, `healthy message ${row.id} dead-lettered after ${row.attempts} attempts: ${row.lastError}`);
      continue;
    }
    check(PERMANENT_REASON[kind]!.test(row.lastError ?? ''), `poison ${kind} dead without its reason: ${row.lastError}`);
    check(row.attempts === 1, `poison ${kind} took ${row.attempts} attempts to dead-letter (permanent failures die at the first)`);
  }
  check(facts.unexpectedExits.length === 0, `processes crashed: ${facts.unexpectedExits.join('; ')}`);
  check(facts.passwordInLogs.length === 0, `log lines with the database password: ${facts.passwordInLogs.slice(0, 3).join(' | ')}`);
  check(facts.badShutdowns.length === 0, `processes that did not exit 0 on SIGTERM: ${facts.badShutdowns.join(', ')}`);
  check((faults['relay-sigkill'] ?? 0) > 0, 'no relay was SIGKILLed');
  for (const failure of slowHandlerFailures(counters, scenario.slowHandlers * scenario.consumers)) check(false, failure);
  for (const [kind, lines] of Object.entries(facts.routeBlockedLogLines)) {
    check(lines > 0, `${kind}: no relay logged its route blocked (a destination error must block the route, not fail messages)`);
  }
  for (const kind of PROBED) {
    const probe = facts.counters.routeProbes[kind];
    check(probe?.seenOnReadyz === true, `${kind}: no relay's /readyz listed the blocked route while the fault lasted`);
    check(probe?.seenOnMetrics === true, `${kind}: no relay's outbox_route_blocked was 1 for the route while the fault lasted`);
    check(probe?.clearAfterFix === true, `${kind}: after the fix, the backlog was not published or a relay's /readyz or /metrics still showed a route blocked`);
  }
  const fresh = tally.newSubject;
  check(fresh.committed > 0, 'rolling-deploy: no message of the new subject was committed (the deploy window saw none)');
  check(fresh.dead === 0, `rolling-deploy: ${fresh.dead} messages of the new subject dead-lettered (an unrouted subject must wait, not die)`);
  check(fresh.handledOnce === fresh.committed, `rolling-deploy: ${fresh.handledOnce} of ${fresh.committed} new-subject messages handled exactly once`);
  check(counters.oldRelaysKeptPublishing === true, 'rolling-deploy: no old relay published the old subject while it held the new subject blocked');
  for (const [name, skewMs] of Object.entries(CLOCK_SKEWS)) {
    const seen = facts.clockSkewSeenMs[name];
    // Off by the relay's start-up time at most, which is seconds, not minutes.
    check(seen !== null && seen !== undefined && Math.abs(seen - skewMs) < 60_000, `${name} should run ${skewMs} ms off the true clock; its logs showed ${seen}`);
  }
  const silent = counters.silentDatabase;
  if (silent) {
    check(silent.reports > 0, 'silent-database: no relay reported a database timeout while its connections were silent');
    check(silent.stopExitCode === 0, `silent-database: the relay SIGTERMed during the silence exited ${silent.stopExitCode}, not 0`);
    check(!silent.stopHitShutdownTimer, 'silent-database: stopping during the silence needed the shutdown timer (stop() did not return by itself)');
    check(silent.startedWhileSilent, 'silent-database: a relay started during the silence never said it started');
  }
  const standbyFacts = counters.readOnlyStandby;
  if (standbyFacts) {
    check(standbyFacts.relaysSeenNotReady === standbyFacts.relays, `read-only-standby: ${standbyFacts.relaysSeenNotReady} of ${standbyFacts.relays} relays' /readyz said 503 in recovery while their database name pointed at the standby (reasons seen: ${standbyFacts.reasonsSeen.join(', ') || 'none'})`);
    check(standbyFacts.readyAfter === true, 'read-only-standby: after the name pointed back at the primary, the backlog was not published or a relay\'s /readyz was not 200');
  }
  const failover = counters.databaseFailover;
  if (failover) {
    check(failover.readyAfter === true, 'database-failover: after the failover, the backlog was not published on the new writer or a relay\'s /readyz was not 200');
    check(failover.relaysListening === failover.relays, `database-failover: ${failover.relaysListening} of ${failover.relays} relays listen on the new writer`);
  }
  const held = counters.heldSnapshot;
  if (held) {
    check(held.heldXidAndXmin, 'held-snapshot: the holding session did not hold a transaction id and the xmin horizon, idle in transaction');
    check(held.committedWhileHeld > 0, 'held-snapshot: no traffic was committed while the snapshot was held');
  }
  const faultMs = faultDurations(counters);
  for (const [kind, ms] of Object.entries(facts.heldUpMs)) {
    const lasted = faultMs[kind];
    const allowed = FAULTS_THAT_STOP_NOTHING.includes(kind as never) ? 0 : lasted;
    check(lasted !== undefined && ms <= allowed! + RECOVERY_BOUND_MS, `${kind}: healthy traffic held up ${ms} ms, over ${allowed === 0 ? 'nothing' : `the fault's ${lasted} ms`} + ${RECOVERY_BOUND_MS} ms`);
  }
  for (const kind of FAULTS_ONCE) {
    check(faults[kind] === 1, `fault ${kind} did not happen exactly once`);
  }
  check(facts.drainAfterLastFaultMs !== null, `backlog not drained within ${scenario.drainTimeoutMs} ms of the last fault`);
  check(facts.sqsDeadLettered === 0, `${facts.sqsDeadLettered} messages reached the SQS dead-letter queue (maxReceiveCount used up by healthy messages)`);

  return {
    size: scenario.size,
    committed: tally.committed,
    rolledBack: counters.rolledBack.length,
    producerFailures: counters.failed.length,
    published: tally.outbox.sent,
    delivered: counters.deliveries.acquired + counters.deliveries.done + counters.deliveries.in_progress + counters.deliveries.mismatch,
    handledExactlyOnce: tally.handledRefs - tally.handledMoreThanOnce,
    handledMoreThanOnce: tally.handledMoreThanOnce,
    duplicatesSuppressed: counters.deliveries.done,
    redeliveredWhileInProgress: counters.deliveries.in_progress,
    lost: tally.lost,
    phantom: tally.phantom,
    deadLettered: tally.dead.length,
    sqsDeadLettered: facts.sqsDeadLettered,
    poison: counters.poisonIds.length,
    dead: tally.dead.map((d) => ({ kind: poisonById.get(d.id) ?? 'HEALTHY', attempts: d.attempts, lastError: d.lastError })),
    faults,
    drainAfterLastFaultMs: facts.drainAfterLastFaultMs,
    heldUpMs: facts.heldUpMs,
    faultMs,
    routeBlockedLogLines: facts.routeBlockedLogLines,
    routeProbes: counters.routeProbes,
    newSubject: tally.newSubject,
    oldRelaysKeptPublishing: counters.oldRelaysKeptPublishing,
    logLinesWithPassword: facts.passwordInLogs.length,
    clockSkewSeenMs: facts.clockSkewSeenMs,
    silentDatabase: counters.silentDatabase ?? null,
    readOnlyStandby: counters.readOnlyStandby ?? null,
    databaseFailover: counters.databaseFailover ?? null,
    heldSnapshot: counters.heldSnapshot ?? null,
    passed: failures.length === 0,
    failures,
  };
}

/** The human-readable report, then the `FAULTS_SUMMARY` line. */
export function printSummary(summary: Summary, counters: RunCounters, failedThatCommitted: number): void {
  const row = (label: string, value: string | number) => console.log(`  ${label.padEnd(34)} ${value}`);
  console.log(`\ntx-outbox fault-injection run (${summary.size})`);
  row('committed', summary.committed);
  row('rolled back (after sendEvent)', summary.rolledBack);
  row('failed by a fault (then committed)', `${summary.producerFailures} (${failedThatCommitted})`);
  row('published (outbox rows sent)', summary.published);
  row('delivered (receipts at consumers)', summary.delivered);
  row('handled exactly once', summary.handledExactlyOnce);
  row('handled more than once', summary.handledMoreThanOnce);
  row('duplicates suppressed', summary.duplicatesSuppressed);
  row('redelivered while in progress', summary.redeliveredWhileInProgress);
  row('lost', summary.lost);
  row('phantom', summary.phantom);
  row('dead-lettered', `${summary.deadLettered} (poison: ${summary.poison})`);
  row('in the SQS dead-letter queue', summary.sqsDeadLettered);
  for (const d of summary.dead) row(`  ${d.kind} (attempts ${d.attempts})`, d.lastError ?? '');
  row('faults', Object.entries(summary.faults).map(([k, n]) => `${k} ×${n}`).join(', '));
  for (const f of counters.faults.filter((f) => f.kind !== 'relay-sigkill')) {
    row(`  ${f.kind}`, `${f.detail} (${((f.endedAt - f.startedAt) / 1000).toFixed(1)} s)`);
  }
  const errors = Object.entries(counters.consumerErrors).map(([k, n]) => `${k} ×${n}`);
  if (errors.length > 0) row('consumer errors (left for redelivery)', errors.join(', '));
  for (const [key, example] of Object.entries(counters.consumerErrorExamples)) row(`  e.g. ${key}`, example.slice(0, 300));
  for (const [kind, ms] of Object.entries(summary.heldUpMs)) {
    const lasted = summary.faultMs[kind] ?? 0;
    const after = Math.max(0, ms - lasted);
    if (FAULTS_THAT_STOP_NOTHING.includes(kind as never)) row(`healthy traffic held up by ${kind}`, `${(ms / 1000).toFixed(1)} s at most during a ${(lasted / 1000).toFixed(1)} s fault that stops nothing (bound ${RECOVERY_BOUND_MS / 1000} s)`);
    else row(`healthy traffic held up by ${kind}`, `${(ms / 1000).toFixed(1)} s over a ${(lasted / 1000).toFixed(1)} s fault: ${(after / 1000).toFixed(1)} s after it cleared (bound ${RECOVERY_BOUND_MS / 1000} s)`);
  }
  for (const [kind, lines] of Object.entries(summary.routeBlockedLogLines)) row(`relay "route blocked" lines (${kind})`, lines);
  for (const [kind, p] of Object.entries(summary.routeProbes)) {
    const seen = p.seenAfterMs === null ? 'NOT seen' : `seen ${(p.seenAfterMs / 1000).toFixed(1)} s after the relays ran`;
    row(`/readyz + /metrics (${kind})`, `blocked route ${seen} (readyz ${p.seenOnReadyz ? 'yes' : 'no'}, status ${p.readyStatusesWhileBlocked.join('/') || '-'}; metric ${p.seenOnMetrics ? 'yes' : 'no'}); clear after fix: ${p.clearAfterFix}`);
  }
  const fresh = summary.newSubject;
  row('new subject (rolling-deploy)', `${fresh.committed} committed, ${fresh.handledOnce} handled once, ${fresh.dead} dead; old relays kept publishing: ${summary.oldRelaysKeptPublishing}`);
  for (const [name, ms] of Object.entries(summary.clockSkewSeenMs)) row(`clock of ${name} (from its log times)`, ms === null ? 'NOT SEEN' : `${(ms / 60_000).toFixed(2)} min off`);
  row('backlog drained after last fault', summary.drainAfterLastFaultMs === null ? 'NOT DRAINED' : `${(summary.drainAfterLastFaultMs / 1000).toFixed(1)} s`);
  console.log(summary.passed ? '\nPASS: every assertion holds' : `\nFAIL:\n${summary.failures.map((f) => `  - ${f}`).join('\n')}`);
  console.log(`FAULTS_SUMMARY ${JSON.stringify(summary)}`);
}

/** How long each measured fault lasted, by the keys of the held-up figures (the rolling deploy's subject-only one included). */
function faultDurations(counters: RunCounters): Record<string, number> {
  const lasted: Record<string, number> = {};
  for (const f of counters.faults) {
    if (f.kind === 'relay-sigkill') continue;
    lasted[f.kind] = f.endedAt - f.startedAt;
    if (f.kind === 'rolling-deploy') lasted[`${f.kind} (${ORDER_SUBJECT} only)`] = f.endedAt - f.startedAt;
  }
  return lasted;
}
