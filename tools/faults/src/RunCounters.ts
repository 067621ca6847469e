import type { ChildEvent } from './childEvents.js';
import type { RouteProbeFacts } from './routeProbes.js';
import type { DatabaseFailoverFacts } from './databaseFailover.js';
import type { ReadOnlyStandbyFacts } from './readOnlyStandby.js';
import type { HeldSnapshotFacts } from './heldSnapshot.js';
import type { SilentDatabaseFacts } from './silentDatabase.js';

/** The two messages that are bad in themselves, the only ones that may be dead-lettered. */
export type PoisonKind = 'oversize' | 'attributes';

/** A fault as it happened, for the report. */
export interface FaultRecord {
  kind: 'relay-sigkill' | 'broker-outage' | 'postgres-restart' | 'consumer-sigkill-mid-handler' | 'poison' | 'slow-handlers' | 'forbidden-endpoint' | 'wrong-topic-arn' | 'throttling-storm' | 'rolling-deploy' | 'silent-database' | 'clock-skew'
    | 'read-only-standby' | 'database-failover' | 'wrong-region-arn' | 'credentials-removed' | 'held-snapshot';
  detail: string;
  startedAt: number;
  endedAt: number;
}

/** Counts what the children report; the database tally is checked against these. */
export class RunCounters {
  committed = 0;
  readonly rolledBack: string[] = [];
  readonly failed: string[] = [];
  readonly poisonIds: Array<{ id: string; kind: PoisonKind }> = [];
  readonly deliveries = { acquired: 0, done: 0, in_progress: 0, mismatch: 0 };
  readonly consumerErrors: Record<string, number> = {};
  /** The first full message of each kind of consumer error. */
  readonly consumerErrorExamples: Record<string, string> = {};
  readonly faults: FaultRecord[] = [];
  /** How many times each order's handler started, across consumers (see slowHandlers.ts). */
  readonly handlerStarts = new Map<string, number>();
  /** The handlers made slower than both leases, by ref, and whether each finished. */
  /** Slowed handlers; `startsBefore`: the ref's handler starts up to and including the slowed run (a run killed earlier by another fault counts there). */
  readonly verySlow = new Map<string, { finished: boolean; startsBefore: number }>();
  /** Per scenario that blocks a route: what the relays' /readyz and /metrics showed (routeProbes.ts). */
  readonly routeProbes: Record<string, RouteProbeFacts> = {};
  /** Rolling deploy: an old relay published the old subject while it held the new subject's route blocked. */
  oldRelaysKeptPublishing: boolean | null = null;
  /** What the silent-database scenario saw (silentDatabase.ts). */
  silentDatabase: SilentDatabaseFacts | undefined;
  /** What the read-only-standby scenario saw (readOnlyStandby.ts). */
  readOnlyStandby: ReadOnlyStandbyFacts | undefined;
  /** What the database-failover scenario saw (databaseFailover.ts). */
  databaseFailover: DatabaseFailoverFacts | undefined;
  /** What the held-snapshot scenario saw (heldSnapshot.ts). */
  heldSnapshot: HeldSnapshotFacts | undefined;
  producerDone = false;
  producerPaused = false;
  private readonly slowWaiters: Array<(ref: string, consumer: string) => void> = [];
  private readonly waiters: Array<{ test: () => boolean; resolve: () => void }> = [];

  onProducerEvent = (event: ChildEvent): void => {
    if (event.ev === 'committed') this.committed++;
    else if (event.ev === 'rolled-back') this.rolledBack.push(event.ref);
    else if (event.ev === 'failed') this.failed.push(event.ref);
    else if (event.ev === 'paused') this.producerPaused = true;
    else if (event.ev === 'done') this.producerDone = true;
    this.wake();
  };

  consumerEventHandler(consumer: string): (event: ChildEvent) => void {
    return (event) => {
      if (event.ev === 'delivery') this.deliveries[event.outcome]++;
      else if (event.ev === 'consumer-error') {
        const key = `${event.stage}: ${event.error.split(':')[0]}`;
        this.consumerErrors[key] = (this.consumerErrors[key] ?? 0) + 1;
        this.consumerErrorExamples[key] ??= event.error;
      } else if (event.ev === 'slow') this.slowWaiters.splice(0).forEach((w) => w(event.ref, consumer));
      else if (event.ev === 'handler-start') this.handlerStarts.set(event.ref, (this.handlerStarts.get(event.ref) ?? 0) + 1);
      else if (event.ev === 'very-slow') {
        const startsBefore = this.verySlow.get(event.ref)?.startsBefore ?? this.handlerStarts.get(event.ref) ?? 0;
        this.verySlow.set(event.ref, { finished: event.finished, startsBefore });
      }
    };
  }

  /** Resolves with the consumer whose handler next turns slow. */
  nextSlowHandler(): Promise<{ ref: string; consumer: string }> {
    return new Promise((resolve) => this.slowWaiters.push((ref, consumer) => resolve({ ref, consumer })));
  }

  /** Resolves once `test()` holds, re-checked on every producer event. */
  until(test: () => boolean): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) {
      if (waiter.test()) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }
}
