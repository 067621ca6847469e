import { EntitySchema } from 'typeorm';
import type { TableLocation } from '../postgres/identifiers.js';
import { qualifiedTableName } from '../postgres/identifiers.js';
import { outboxColumns } from './outboxColumns.js';
import type { OutboxMessageRow } from './OutboxMessageRow.js';

/** Options of {@link createOutboxEntitySchema}. */
export interface OutboxEntitySchemaOptions extends TableLocation {
  /**
   * TypeORM entity name; give each outbox in one DataSource its own.
   * @defaultValue `OutboxMessage`
   */
  name?: string;
}

/**
 * An entity for an outbox table with custom names (the counterpart of `OutboxMessageEntity`).
 * Add it to your DataSource's `entities` and query it with `dataSource.getRepository(schema)`.
 *
 * @throws InvalidIdentifierError for a bad table or schema name.
 * @example
 * ```ts
 * export const Events = createOutboxEntitySchema({ schema: 'messaging', tableName: 'events' });
 * const rows = await dataSource.getRepository(Events).find();
 * ```
 */
export function createOutboxEntitySchema(options: OutboxEntitySchemaOptions = {}): EntitySchema<OutboxMessageRow> {
  qualifiedTableName(options, 'outbox');
  return new EntitySchema<OutboxMessageRow>({
    name: options.name ?? 'OutboxMessage',
    tableName: options.tableName ?? 'outbox',
    schema: options.schema,
    synchronize: false,
    columns: outboxColumns,
  });
}
