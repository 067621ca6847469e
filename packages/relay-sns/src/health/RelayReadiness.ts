import { type OutboxStore, type Relay, type WritableCheck } from '@tx-outbox/outbox-core';
import { errorText, withDeadline } from '@tx-outbox/outbox-core/internal';

/** One reason a relay is not ready. */
export interface ReadinessReason {
  /**
   * What failed: `running` (the relay is not running), `claims` (its latest claim failed, or none has
   * returned yet), `table` (its latest claim found the outbox table missing, of the 0.1 layout, or
   * without the indexes an ordered relay needs: the message names the migration), `writable` (the store
   * answers but refuses writes: a standby, a read-only server).
   */
  check: 'running' | 'claims' | 'table' | 'writable';
  /** For `table`: what is wrong (`missing`, `legacy`, `no-ordered-indexes`). For `writable`: the store's code (`in-recovery`, `read-only`). */
  code?: string;
  /** What it means and what to do. */
  message: string;
}

/** A blocked route as readiness shows it (JSON-friendly `Relay.blockedRoutes`). */
export interface ReadinessBlockedRoute {
  route: string;
  /** The broker's error code (or `HTTP 403`), when there is one. */
  code: string | null;
  /** When this relay first saw it blocked (ISO time, process clock). */
  since: string;
  error: string;
  retryInMs: number;
}

/** What `/readyz` answers (as JSON) and the Nest health indicator reports. */
export interface Readiness {
  /** True when `reasons` is empty. */
  ready: boolean;
  reasons: ReadinessReason[];
  /** Shown, not a reason: a blocked route leaves the other routes flowing, so the relay stays ready. */
  blockedRoutes: ReadinessBlockedRoute[];
}

export interface RelayReadinessOptions {
  /** How often the store is asked whether it takes writes (`checkWritable`), in ms. @defaultValue 5000 */
  checkIntervalMs?: number;
  /** Deadline of that check, in ms. @defaultValue 5000 */
  timeoutMs?: number;
}

/**
 * Whether a relay can do its job now: it runs, its latest claim succeeded, and its store takes writes.
 * A successful read alone proves nothing (it succeeds on a standby, so a relay whose database name
 * still points at the old writer after a failover would stay ready forever): readiness follows the
 * claims themselves, from the relay's events, and the store's `checkWritable` (PostgreSQL:
 * `pg_is_in_recovery()`, `transaction_read_only`), asked every `checkIntervalMs`. A failed check is no
 * reason by itself (the claims say whether the store answers); a check that finds the store read-only is.
 *
 * @example
 * ```ts
 * const readiness = new RelayReadiness(relay, store);
 * readiness.start();
 * app.get('/ready', (_, res) => { const r = readiness.read(); res.status(r.ready ? 200 : 503).json(r); });
 * ```
 */
export class RelayReadiness {
  private claims: { ok: true } | { ok: false; error: string; table?: string } = { ok: false, error: 'no claim has returned yet' };
  private writable: WritableCheck | undefined;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: Array<() => void> = [];
  private checking: Promise<void> | undefined;
  private readonly checkIntervalMs: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly relay: Relay,
    private readonly store: OutboxStore,
    options: RelayReadinessOptions = {},
  ) {
    this.checkIntervalMs = options.checkIntervalMs ?? 5_000;
    this.timeoutMs = options.timeoutMs ?? 5_000;
  }

  /** Follows the relay's claims and starts the periodic writable check (the first one now). */
  start(): void {
    if (this.unsubscribe.length > 0) return;
    this.unsubscribe = [
      this.relay.on('batch:claimed', () => {
        this.claims = { ok: true };
        // A claim is a write: it proves the store takes writes, whatever the last check found.
        if (this.writable?.writable === false) this.writable = { writable: true };
      }),
      this.relay.on('relay:error', ({ stage, error }) => {
        if (stage !== 'claim') return;
        // A table the claim cannot use is its own reason: its message says which migration to run.
        const table = (error as Error)?.name === 'OutboxTableError' ? (error as Error & { problem?: string }).problem : undefined;
        this.claims = { ok: false, error: table ? (error as Error).message : errorText(error), table };
      }),
    ];
    if (this.store.checkWritable) {
      this.timer = setInterval(() => void this.checkWritable(), this.checkIntervalMs);
      this.timer.unref();
      void this.checkWritable();
    }
  }

  stop(): void {
    clearInterval(this.timer);
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
  }

  /** Asks the store now whether it takes writes (one check at a time). Never rejects. */
  checkWritable(): Promise<void> {
    const check = this.store.checkWritable?.bind(this.store);
    if (!check) return Promise.resolve();
    this.checking ??= withDeadline('checkWritable', this.timeoutMs, check())
      .then(
        (result) => void (this.writable = result),
        () => void (this.writable = undefined), // unknown: the claims tell whether the store answers
      )
      .finally(() => (this.checking = undefined));
    return this.checking;
  }

  read(): Readiness {
    const reasons: ReadinessReason[] = [];
    if (!this.relay.running) reasons.push({ check: 'running', message: 'the relay is not running (starting, or stopping)' });
    if (!this.claims.ok && this.claims.table) reasons.push({ check: 'table', code: this.claims.table, message: this.claims.error });
    else if (!this.claims.ok) reasons.push({ check: 'claims', message: `claims are failing: ${this.claims.error}` });
    if (this.writable?.writable === false) reasons.push({ check: 'writable', code: this.writable.code, message: this.writable.reason });
    const blockedRoutes = this.relay.blockedRoutes.map((b) => ({ route: b.route, code: b.code ?? null, since: b.since.toISOString(), error: b.error, retryInMs: b.retryInMs }));
    return { ready: reasons.length === 0, reasons, blockedRoutes };
  }
}
