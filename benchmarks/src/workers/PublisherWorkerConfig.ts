/** The four kinds of transaction publisher-scale interleaves. */
export const PUBLISHER_KINDS = ['alone', 'sendEvent', 'floor', 'silent'] as const;
export type PublisherKind = (typeof PUBLISHER_KINDS)[number];

/** What the parent tells a publisher child process (argv[2], JSON). */
export interface PublisherWorkerConfig {
  databaseUrl: string;
  /** Connections of this process: its TypeORM pool size and how many transactions it runs at once. */
  connections: number;
}

/** The child's answer to `run <kind> <ms>` (and to `profile`): what it did in that slot. */
export interface PublisherSlotReport {
  kind: PublisherKind;
  transactions: number;
  failed: number;
  /** Each committed transaction's wall time, ms. */
  latencyMs: number[];
  /** From the slot's start to the last transaction's end, ms. */
  elapsedMs: number;
  /** CPU time of this process in the slot (process.cpuUsage), microseconds. */
  cpuUserMicros: number;
  cpuSystemMicros: number;
}
