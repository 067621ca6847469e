import type { Logger } from './logger.js';

/**
 * Resolves with the first SIGTERM or SIGINT, listened for from now on, so one that arrives during startup
 * still stops cleanly; a second one while stopping is logged, not fatal.
 */
export function waitForStopSignal(signals: NodeJS.EventEmitter, logger: Logger): Promise<string> {
  let received: string | undefined;
  return new Promise<string>((resolve) => {
    for (const name of ['SIGTERM', 'SIGINT'] as const) {
      signals.on(name, () => {
        if (received) return logger.warn('already stopping; signal ignored', { signal: name });
        received = name;
        resolve(name);
      });
    }
  });
}
