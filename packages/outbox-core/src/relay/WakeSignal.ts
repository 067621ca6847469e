import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A sleep that can be cut short. `wake()` ends the current `wait()`, or, if none is running, makes the
 * next one return at once, so a wake-up that arrives while the relay is busy claiming is not lost.
 */
export class WakeSignal {
  private pending = false;
  private resolveWait: (() => void) | undefined;

  wake(): void {
    if (this.resolveWait) this.resolveWait();
    else this.pending = true;
  }

  /** Resolves after `ms` or at the next `wake()`, whichever comes first. */
  async wait(ms: number): Promise<'woken' | 'timeout'> {
    if (this.pending) {
      this.pending = false;
      return 'woken';
    }
    const timer = new AbortController();
    const woken = new Promise<'woken'>((resolve) => {
      this.resolveWait = () => resolve('woken');
    });
    try {
      return await Promise.race([woken, sleep(ms, 'timeout' as const, { signal: timer.signal })]);
    } finally {
      this.resolveWait = undefined;
      timer.abort();
    }
  }
}
