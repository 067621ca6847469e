/** What the parent tells a claim-loop child process (argv[2], JSON). */
export interface ClaimLoopConfig {
  databaseUrl: string;
  tableName: string;
  relayId: string;
  /** Messages per claim (the relay's default batchSize). */
  limit: number;
  leaseMs: number;
  /** Pause after a claim that came back short (the relay's wait for its next wake-up), ms. */
  idleMs: number;
}

/** The child's answer to "sample": what happened since the previous sample. */
export interface ClaimLoopSample {
  /** Messages marked sent since the previous sample. */
  sent: number;
  /** Duration of each claim that returned at least one message, ms. */
  claimMs: number[];
  /** Claims that came back empty. */
  emptyClaims: number;
  /** Failed claim or markSent calls, by SQLSTATE (or error name). */
  errors: Record<string, number>;
}

/** The child's answer to "stats": one `store.stats()` call. */
export interface StatsProbe {
  ms: number;
  /** The pending count it answered; absent when it failed. */
  pending?: number;
  /** Its error (SQLSTATE or name: message) when it failed. */
  error?: string;
}
