import type { MaintenanceResult, OutboxMaintenance } from '@tx-outbox/outbox-typeorm/internal';
import type { Logger } from './logger.js';
import type { RetentionMetrics } from './SidecarMetrics.js';

/**
 * Runs the outbox table's upkeep (retention by emptying whole slots, and the move of an upgraded 0.1
 * table's rows; see `OutboxMaintenance`) every `intervalMs`. The next run is scheduled when the current
 * one ends, so runs never overlap and never take more than one connection from the relay's pool.
 */
export function startMaintenance(
  maintenance: Pick<OutboxMaintenance, 'run'>,
  intervalMs: number,
  metrics: RetentionMetrics,
  logger: Logger,
): { stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const runOnce = async () => {
    try {
      report(await maintenance.run(), metrics, logger);
    } catch (error) {
      metrics.retentionFailed();
      logger.warn('outbox maintenance failed; will retry', { error });
    }
    if (!stopped) timer = setTimeout(runOnce, intervalMs);
  };
  timer = setTimeout(runOnce, intervalMs);
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

function report(result: MaintenanceResult, metrics: RetentionMetrics, logger: Logger): void {
  metrics.retentionEmptied(result.emptiedSlots.length);
  if (result.emptiedSlots.length > 0 || result.movedRows > 0) logger.info('retention emptied outbox slots', { slots: result.emptiedSlots, movedRows: result.movedRows });
  if (result.busySlots.length > 0) logger.info('retention: a reader holds an outbox slot that is due; retrying on the next run', { slots: result.busySlots });
  if (result.legacyRowsMoved > 0 || result.legacyDropped) logger.info('moving the 0.1 outbox table\'s rows', { moved: result.legacyRowsMoved, done: result.legacyDropped });
}
