import type { SqlExecutor } from '../postgres/SqlExecutor.js';
import type { MessageSelection } from '../postgres/outboxStore/messageSelection.js';
import { changeDeadBatch } from './changeDeadBatch.js';
import type { DeadCursor } from './DeadCursor.js';

/**
 * One batch of a requeue: puts dead-lettered messages matching the selection back in the queue as if
 * new (`dead_at` and `last_error` cleared, `attempts` reset, waiting and due now); changeDeadBatch.ts
 * picks them and says the parameters.
 */
export function requeueDead(db: SqlExecutor, table: string, selection: MessageSelection, cursor: DeadCursor, batchSize: number): Promise<{ count: number; cursor: DeadCursor | undefined }> {
  return changeDeadBatch(
    db,
    table,
    `UPDATE ${table} AS o
        SET dead_at = NULL, last_error = NULL, attempts = 0, available_at = now(), locked_by = NULL, locked_until = NULL
       FROM picked AS p
      WHERE o.slot = p.slot AND o.id = p.id
     RETURNING 1`,
    selection,
    cursor,
    batchSize,
  );
}
