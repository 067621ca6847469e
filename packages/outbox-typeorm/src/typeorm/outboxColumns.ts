import type { EntitySchemaColumnOptions } from 'typeorm';
import type { OutboxMessageRow } from './OutboxMessageRow.js';

/**
 * Column mapping shared by `OutboxMessageEntity` and `createOutboxEntitySchema`, with explicit types
 * (tools that emit no decorator metadata cannot infer them). `seq` and `slot` are filled by the
 * database: never inserted or updated through TypeORM.
 */
export const outboxColumns = {
  id: { type: 'uuid', primary: true },
  slot: { type: 'smallint', primary: true, insert: false, update: false },
  seq: { type: 'bigint', insert: false, update: false },
  subject: { type: 'text' },
  payload: { type: 'jsonb' },
  headers: { type: 'jsonb' },
  groupKey: { type: 'text', name: 'group_key', nullable: true },
  dedupId: { type: 'text', name: 'dedup_id', nullable: true },
  createdAt: { type: 'timestamptz', name: 'created_at' },
  availableAt: { type: 'timestamptz', name: 'available_at', nullable: true },
  attempts: { type: 'integer' },
  lockedBy: { type: 'text', name: 'locked_by', nullable: true },
  lockedUntil: { type: 'timestamptz', name: 'locked_until', nullable: true },
  lastError: { type: 'text', name: 'last_error', nullable: true },
  sentAt: { type: 'timestamptz', name: 'sent_at', nullable: true },
  deadAt: { type: 'timestamptz', name: 'dead_at', nullable: true },
} as const satisfies Record<keyof OutboxMessageRow, EntitySchemaColumnOptions>;
