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
};
