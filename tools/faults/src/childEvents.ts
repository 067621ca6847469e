/**
 * One JSON line a producer or consumer child prints on stdout. The orchestrator counts these; the
 * database is the ground truth they are checked against.
 */
export type ChildEvent =
  | { ev: 'ready' }
  | { ev: 'committed'; ref: string }
  | { ev: 'rolled-back'; ref: string }
  /** The transaction failed for a reason of its own (e.g. PostgreSQL restarting): it may or may not have committed. */
  | { ev: 'failed'; ref: string; error: string }
  | { ev: 'paused' }
  | { ev: 'done'; committed: number; rolledBack: number; failed: number }
  /** One delivery reached the inbox store; `outcome` is what `begin` found. */
  | { ev: 'delivery'; id: string; outcome: 'acquired' | 'done' | 'in_progress' | 'mismatch' }
  | { ev: 'slow'; ref: string }
  /** A handler began (every run, so a second run of one message shows). */
  | { ev: 'handler-start'; ref: string }
  /** A handler made slower than the visibility timeout and the inbox lease (`slow` command) began / ended. */
  | { ev: 'very-slow'; ref: string; finished: boolean }
  | { ev: 'consumer-error'; stage: string; error: string };

/** Writes one event line; the only thing children print on stdout. */
export function emit(event: ChildEvent): void {
  process.stdout.write(JSON.stringify(event) + '\n');
}

/** Parses a line a child printed, or undefined when it is not an event (e.g. a stray warning). */
export function parseEvent(line: string): ChildEvent | undefined {
  if (!line.startsWith('{"ev":')) return undefined;
  try {
    return JSON.parse(line) as ChildEvent;
  } catch {
    return undefined;
  }
}
