/** worst-day's phases, as numbers in the CSV. */
export const WORST_DAY_PHASES = ['undisturbed', 'xmin held', 'released'] as const;

/** One worst-day sample (one CSV line): rates and percentiles cover the interval since the previous one. */
export interface WorstDayRow {
  elapsedS: number;
  /** Index into WORST_DAY_PHASES. */
  phase: number;
  inflowPerSec: number;
  sentPerSec: number;
  /** Claims that returned messages in the interval. */
  claims: number;
  claimP50Ms: number;
  claimP99Ms: number;
  /** Largest backlog seen in the interval (committed − marked sent), rows and seconds of inflow. */
  backlogRows: number;
  backlogSeconds: number;
  outboxBytes: number;
  databaseTablesBytes: number;
  deadTuples: number;
  /** Slots emptied by retention since the start. */
  retentionEmptiedSlots: number;
  /** Failed claim or markSent calls in the interval. */
  errors: number;
}

/** CSV column order (the header line uses these names). */
export const WORST_DAY_COLUMNS: (keyof WorstDayRow)[] = [
  'elapsedS', 'phase', 'inflowPerSec', 'sentPerSec', 'claims', 'claimP50Ms', 'claimP99Ms', 'backlogRows', 'backlogSeconds',
  'outboxBytes', 'databaseTablesBytes', 'deadTuples', 'retentionEmptiedSlots', 'errors',
];
