/** Workload sizes of one mode. Quick runs in CI in about a minute; full is for people (~10 minutes). */
export interface BenchSizes {
  /** Scenario 1: pending messages drained by each contender. */
  drainMessages: number;
  /** Scenario 2: messages drained by the hand-written relay and the peer library (they are slow). */
  alternativeMessages: number;
  /** Scenario 3: transactions of each kind (A, B and C), interleaved. */
  publisherTransactions: number;
  /** Scenario 4: offered rates (msg/s) and seconds of load at each. */
  latencyRates: number[];
  latencySeconds: number;
  /** Scenario 5: pending rows, sent rows in the big table, claims measured per table. */
  pollPending: number;
  pollSentRows: number;
  pollClaims: number;
  /** Scenario 6: backlog per scale-out run; backlog per in-flight level behind the 20 ms proxy. */
  scaleOutMessages: number;
  delayedMessagesPerBatchInFlight: number;
  /** Scenario 7: backlog drained by the measured relay process. */
  memoryMessages: number;
  /** Scenario 8: pending rows in deep ordered groups, how many groups (all heads backing off), claims measured. */
  deepPending: number;
  deepGroups: number;
  deepClaims: number;
  /** Scenario 11: backlog per in-flight level behind the 20 ms timer broker. */
  latencyBoundMessages: number;
  /** publisher-scale: connection levels, ms per slot of one kind, rounds of the four kinds per level, transactions per profiled kind. */
  publisherScaleConnections: number[];
  publisherScaleSlotMs: number;
  publisherScaleRounds: number;
  publisherProfileTransactions: number;
  /** worst-day: the inflow (msg/s), seconds of each phase (undisturbed, xmin held, released), retention age and interval (ms). */
  worstDayRate: number;
  worstDayPhaseSeconds: { undisturbed: number; held: number; released: number };
  worstDayRetentionMs: number;
  worstDayRetentionIntervalMs: number;
  /** worst-day, second part: rows backing off, and seconds of healthy flow measured in each of its phases. */
  backingOffRows: number;
  backingOffPhaseSeconds: number;
}

export const FULL_SIZES: BenchSizes = {
  drainMessages: 50_000,
  alternativeMessages: 10_000,
  publisherTransactions: 2_000,
  latencyRates: [500, 2_000],
  latencySeconds: 8,
  pollPending: 10_000,
  pollSentRows: 1_000_000,
  pollClaims: 400,
  scaleOutMessages: 50_000,
  delayedMessagesPerBatchInFlight: 1_000,
  memoryMessages: 100_000,
  deepPending: 100_000,
  deepGroups: 1_000,
  deepClaims: 100,
  latencyBoundMessages: 30_000,
  publisherScaleConnections: [1, 8, 64],
  publisherScaleSlotMs: 3_000,
  publisherScaleRounds: 5,
  publisherProfileTransactions: 3_000,
  worstDayRate: 1_000,
  worstDayPhaseSeconds: { undisturbed: 180, held: 600, released: 150 },
  worstDayRetentionMs: 60_000,
  worstDayRetentionIntervalMs: 15_000,
  backingOffRows: 1_000_000,
  backingOffPhaseSeconds: 30,
};

export const QUICK_SIZES: BenchSizes = {
  drainMessages: 3_000,
  alternativeMessages: 400,
  publisherTransactions: 200,
  latencyRates: [200],
  latencySeconds: 2,
  pollPending: 2_000,
  pollSentRows: 100_000,
  pollClaims: 60,
  scaleOutMessages: 1_500,
  delayedMessagesPerBatchInFlight: 100,
  memoryMessages: 10_000,
  deepPending: 10_000,
  deepGroups: 100,
  deepClaims: 20,
  latencyBoundMessages: 2_000,
  publisherScaleConnections: [1, 4],
  publisherScaleSlotMs: 300,
  publisherScaleRounds: 1,
  publisherProfileTransactions: 100,
  worstDayRate: 200,
  worstDayPhaseSeconds: { undisturbed: 4, held: 4, released: 4 },
  worstDayRetentionMs: 2_000,
  worstDayRetentionIntervalMs: 1_000,
  backingOffRows: 20_000,
  backingOffPhaseSeconds: 3,
};
