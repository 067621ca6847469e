/** One outbox row as TypeORM maps it (see `OutboxMessageEntity` and `createOutboxEntitySchema`). Read-only by intent: write with `sendEvent`. */
export interface OutboxMessageRow {
  id: string;
  /** `bigint`, returned as a decimal string. */
  seq: string;
  subject: string;
  /** The body, parsed from `jsonb`. */
  payload: unknown;
  headers: Record<string, string>;
  groupKey: string | null;
  dedupId: string | null;
  createdAt: Date;
  availableAt: Date;
  attempts: number;
  lockedBy: string | null;
  lockedUntil: Date | null;
  lastError: string | null;
  sentAt: Date | null;
  deadAt: Date | null;
}
