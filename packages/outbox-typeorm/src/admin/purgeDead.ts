import type { SqlExecutor } from '../postgres/SqlExecutor.js';
import type { MessageSelection } from '../postgres/outboxStore/messageSelection.js';
import { changeDeadBatch } from './changeDeadBatch.js';
import type { DeadCursor } from './DeadCursor.js';

/**
 * One batch of a purge: deletes dead-lettered messages matching the selection for good
 * (changeDeadBatch.ts picks them and says the parameters). The one DELETE of the library: an
 * operator's, of dead letters only, in small batches on the dead index.
 */
export function purgeDead(db: SqlExecutor, table: string, selection: MessageSelection, cursor: DeadCursor, batchSize: number): Promise<{ count: number; cursor: DeadCursor | undefined }> {
  return changeDeadBatch(db, table, `DELETE FROM ${table} AS o USING picked AS p WHERE o.slot = p.slot AND o.id = p.id RETURNING 1`, selection, cursor, batchSize);
}
