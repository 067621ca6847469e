import { type PgQueryable } from '@tx-outbox/outbox-typeorm/postgres';
import type { RelayCliConfig } from './configSpec.js';
import { OutboxTableError, executorFromPg, outboxNames, readOutboxLayout } from '@tx-outbox/outbox-typeorm/internal';

/**
 * What keeps the commands from using the outbox table: missing, of the 0.1 layout, or (for an ordered
 * relay) without its group indexes, as an OutboxTableError whose message names the fix (`outbox-relay
 * migrate`, the migration); undefined when the table is fine. A database error is thrown as is.
 */
export async function outboxTableProblem(pool: PgQueryable, config: Pick<RelayCliConfig, 'table' | 'schema' | 'ordered'>): Promise<OutboxTableError | undefined> {
  const names = outboxNames({ tableName: config.table, schema: config.schema });
  const found = await readOutboxLayout(executorFromPg(pool), names);
  if (found.kind !== 'slotted') return new OutboxTableError(found.kind, names.table);
  if (config.ordered && !found.layout.ordered) return new OutboxTableError('no-ordered-indexes', names.table);
  return undefined;
}
