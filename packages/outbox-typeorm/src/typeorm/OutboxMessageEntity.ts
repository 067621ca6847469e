import { Column, Entity, PrimaryColumn } from 'typeorm';
import { outboxColumns as c } from './outboxColumns.js';
import type { OutboxMessageRow } from './OutboxMessageRow.js';

/**
 * The outbox table under its default name (`outbox`), for querying it with TypeORM (dashboards,
 * tests). Add it to your DataSource's `entities`. The migration owns the schema, so the entity is
 * excluded from `synchronize`. For a custom table or schema use `createOutboxEntitySchema(location)`.
 *
 * @example
 * ```ts
 * const pending = await dataSource.getRepository(OutboxMessageEntity).countBy({ sentAt: IsNull() });
 * ```
 */
@Entity({ name: 'outbox', synchronize: false })
export class OutboxMessageEntity implements OutboxMessageRow {
  @PrimaryColumn(c.id) id!: string;
  @PrimaryColumn(c.slot) slot!: number;
  @Column(c.seq) seq!: string;
  @Column(c.subject) subject!: string;
  @Column(c.payload) payload!: unknown;
  @Column(c.headers) headers!: Record<string, string>;
  @Column(c.groupKey) groupKey!: string | null;
  @Column(c.dedupId) dedupId!: string | null;
  @Column(c.createdAt) createdAt!: Date;
  @Column(c.availableAt) availableAt!: Date | null;
  @Column(c.attempts) attempts!: number;
  @Column(c.lockedBy) lockedBy!: string | null;
  @Column(c.lockedUntil) lockedUntil!: Date | null;
  @Column(c.lastError) lastError!: string | null;
  @Column(c.sentAt) sentAt!: Date | null;
  @Column(c.deadAt) deadAt!: Date | null;
}
