import type { TableHealth } from '../sql/tableHealth.js';

/** One soak sample (one CSV line): rates and percentiles cover the interval since the previous sample. */
export interface SoakRow extends TableHealth {
  elapsedS: number;
  inflowPerSec: number;
  publishedPerSec: number;
  /** Claims that returned messages in the interval. */
  claims: number;
  claimP50Ms: number;
  claimP99Ms: number;
  /** Commit → publish (`sent_at − created_at`) of the rows sent in the interval. */
  lagP50Ms: number;
  lagP99Ms: number;
  /** The outbox on disk with its partitions or child tables, whatever the layout (sql/storageSize.ts). */
  outboxBytes: number;
  /** Rows deleted by retention since the start. */
  retentionEmptiedSlots: number;
  /** The relay process's CPU time ÷ wall time in the interval (100 = one core). */
  relayCpuPercent: number;
}

/** CSV column order (the header line uses these names). */
export const SOAK_COLUMNS: (keyof SoakRow)[] = [
  'elapsedS', 'inflowPerSec', 'publishedPerSec', 'claims', 'claimP50Ms', 'claimP99Ms', 'lagP50Ms', 'lagP99Ms',
  'pendingRows', 'heapBytes', 'indexBytes', 'totalBytes', 'outboxBytes', 'liveTuples', 'deadTuples', 'autovacuumRuns', 'autoanalyzeRuns',
  'retentionEmptiedSlots', 'relayCpuPercent',
];
