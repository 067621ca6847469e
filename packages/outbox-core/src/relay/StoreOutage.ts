/**
 * Whether the store is failing the relay's claims right now, so that the relay says an outage once
 * when it begins and once when it ends, instead of one warning per failed try. Process-clock intervals,
 * for the log only.
 */
export class StoreOutage {
  private since: number | undefined;
  private failures = 0;

  constructor(private readonly clock: () => number = Date.now) {}

  /** Whether claims are failing now. */
  get open(): boolean {
    return this.since !== undefined;
  }

  /** A claim failed; returns whether this began an outage. */
  failed(): boolean {
    this.failures++;
    if (this.since !== undefined) return false;
    this.since = this.clock();
    return true;
  }

  /** A claim succeeded; returns the outage it ended (how long, how many claims failed), if one was open. */
  succeeded(): { durationMs: number; failures: number } | undefined {
    if (this.since === undefined) return undefined;
    const ended = { durationMs: this.clock() - this.since, failures: this.failures };
    this.since = undefined;
    this.failures = 0;
    return ended;
  }
}
