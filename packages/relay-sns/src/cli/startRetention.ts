import type { OutboxStore } from '@tx-outbox/outbox-core';
import type { PostgresOutboxStore } from '@tx-outbox/outbox-typeorm/postgres';
import type { RelayCliConfig } from './configSpec.js';
import type { Logger } from './logger.js';
import type { RetentionMetrics } from './SidecarMetrics.js';

/**
 * Deletes sent messages older than `retentionMs` every `retentionIntervalMs`. The next run is
 * scheduled when the current one ends, so a long first run on a big table never overlaps another
 * and never takes more than one connection from the relay's pool.
 */
export function startRetention(
  store: Pick<PostgresOutboxStore, 'deleteSent'> & Partial<OutboxStore>,
  config: Pick<RelayCliConfig, 'retentionMs' | 'retentionIntervalMs'>,
  metrics: RetentionMetrics,
  logger: Logger,
): { stop(): void } {
  if (config.retentionMs === 0) return { stop() {} };
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const runOnce = async () => {
    try {
      const deleted = await store.deleteSent({ olderThanMs: config.retentionMs });
      metrics.retentionDeleted(deleted);
      if (deleted > 0) logger.info('retention deleted sent messages', { deleted });
    } catch (error) {
      metrics.retentionFailed();
      logger.warn('retention failed; will retry', { error });
    }
    if (!stopped) timer = setTimeout(runOnce, config.retentionIntervalMs);
  };
  timer = setTimeout(runOnce, config.retentionIntervalMs);
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
