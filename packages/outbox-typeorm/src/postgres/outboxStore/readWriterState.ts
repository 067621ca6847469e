import type { SqlExecutor } from '../SqlExecutor.js';

/** What the server behind a connection is, for writing. */
export interface WriterState {
  /** `pg_is_in_recovery()`: a standby (streaming or replaying), which refuses every write. */
  inRecovery: boolean;
  /** `transaction_read_only` of a transaction begun now (on with `default_transaction_read_only`, and on any standby). */
  readOnly: boolean;
}

/**
 * Whether the server takes writes, in one read that itself succeeds on a standby (which a readiness
 * check fed by any other SELECT would miss). No parameters.
 */
export async function readWriterState(db: SqlExecutor): Promise<WriterState> {
  const { rows } = await db.query<{ in_recovery: boolean; read_only: boolean }>(
    `SELECT pg_is_in_recovery() AS in_recovery, current_setting('transaction_read_only') = 'on' AS read_only`,
  );
  return { inRecovery: rows[0]!.in_recovery, readOnly: rows[0]!.read_only };
}
