/** The demo's result: what it printed, and what the test reads from the `{"event":"summary"}` line. */
export interface DemoSummary {
  created: number;
  committed: number;
  rolledBack: number;
  /** Payment or outbox rows left by rolled-back payments (must be 0). */
  rolledBackLeftovers: number;
  published: number;
  delivered: number;
  handled: number;
  duplicatesSuppressed: number;
  /** Deliveries whose handler failed and were retried (e.g. a duplicate arriving while the first one ran). */
  retried: number;
  lost: number;
  phantom: number;
  relayRestarts: number;
  /** Committed payments whose one trace runs from the request to the handler's insert, the relay's send span linked (must equal `committed`). */
  completeTraces: number;
  /** Relay or consumer spans of a rolled-back payment's trace (must be 0). */
  rolledBackRelaySpans: number;
  /** Rolled-back payments whose trace recorded its `create` span at sendEvent (must equal `rolledBack`). */
  rolledBackTraced: number;
  /** Exit codes of the services after SIGTERM (all must be 0). */
  exitCodes: Record<string, number | null>;
  ok: boolean;
}

/** The numbers add up: nothing lost, nothing phantom, each committed payment handled exactly once, clean exits. */
export function summaryIsOk(s: Omit<DemoSummary, 'ok'>): boolean {
  return (
    s.lost === 0 &&
    s.phantom === 0 &&
    s.handled === s.committed &&
    s.rolledBackLeftovers === 0 &&
    s.published === s.committed &&
    s.completeTraces === s.committed &&
    s.rolledBackRelaySpans === 0 &&
    s.rolledBackTraced === s.rolledBack &&
    Object.values(s.exitCodes).every((code) => code === 0)
  );
}

/** The human-readable table, then one JSON line for machines. */
export function formatSummary(s: DemoSummary): string {
  const row = (label: string, value: number, note = '') => `  ${label.padEnd(22)}${String(value).padStart(6)}${note ? `   ${note}` : ''}`;
  return [
    '',
    'tx-outbox demo summary',
    row('payments requested', s.created),
    row('committed', s.committed),
    row('rolled back', s.rolledBack, `failed after sendEvent; rows left behind: ${s.rolledBackLeftovers}`),
    row('published', s.published, 'outbox rows marked sent'),
    row('delivered', s.delivered, 'deliveries seen by the consumer, duplicates included'),
    row('handled once', s.handled, 'notifications recorded'),
    row('duplicates suppressed', s.duplicatesSuppressed, 'by the inbox store'),
    row('retried deliveries', s.retried),
    row('relay restarts', s.relayRestarts, 'after SIGKILL part-way'),
    row('complete traces', s.completeTraces, 'request → create → send (linked) → process → insert, one trace each'),
    row('rolled-back spans', s.rolledBackRelaySpans, 'relay/consumer spans of rolled-back payments — must be 0'),
    row('lost', s.lost, 'committed, never handled — must be 0'),
    row('phantom', s.phantom, 'rolled back, yet handled — must be 0'),
    `  exit codes after SIGTERM: ${Object.entries(s.exitCodes).map(([k, v]) => `${k}=${v}`).join(' ')}`,
    s.ok ? 'RESULT: OK — every committed payment was handled exactly once.' : 'RESULT: FAILED — the numbers do not add up.',
    JSON.stringify({ event: 'summary', ...s }),
  ].join('\n');
}
