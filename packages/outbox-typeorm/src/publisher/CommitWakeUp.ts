/**
 * Tells the relays that outbox rows were committed, without ever holding the caller's commit: a NOTIFY
 * sent *after* the commit, on a connection of its own. NOTIFY inside the writing transaction makes
 * PostgreSQL take an instance-wide lock at commit, which serializes the commits of every such
 * transaction, WAL flush included (docs/decisions/0002-wake-up-after-commit.md).
 *
 * Coalesced: at most one wake-up in flight; commits that happen meanwhile are announced by one more
 * wake-up once it returns, so no commit goes unannounced and a busy service sends at most one NOTIFY
 * per round trip, not one per commit. A wake-up is a latency hint only: a relay also polls.
 */
export class CommitWakeUp {
  #sending = false;
  #again = false;

  /**
   * @param send sends one wake-up (e.g. `pool.query('NOTIFY "outbox_notify"')`).
   * @param onError told of a wake-up that failed (the relays then find the rows on their poll).
   */
  constructor(
    private readonly send: () => Promise<unknown>,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Announces a commit: sends a wake-up now, or right after the one in flight. Never throws. */
  committed(): void {
    if (this.#sending) {
      this.#again = true;
      return;
    }
    this.#sending = true;
    void this.#loop();
  }

  async #loop(): Promise<void> {
    do {
      this.#again = false;
      try {
        await this.send();
      } catch (error) {
        try {
          this.onError(error);
        } catch {
          // A reporter that throws must not stop the wake-ups.
        }
      }
    } while (this.#again);
    this.#sending = false;
  }
}
