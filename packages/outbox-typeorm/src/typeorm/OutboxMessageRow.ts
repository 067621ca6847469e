/** One outbox row as TypeORM maps it (see `OutboxMessageEntity` and `createOutboxEntitySchema`). Read-only by intent: write with `sendEvent`. */
export interface OutboxMessageRow {
  id: string;
  /** Which of the table's four slots (partitions) holds the row. */
  slot: number;
  /** `bigint`, returned as a decimal string. */
  seq: string;
  subject: string;
  /** The body, parsed from `jsonb`. */
  payload: unknown;
  headers: Record<string, string>;
  groupKey: string | null;
  dedupId: string | null;
  createdAt: Date;
  /** When a waiting message is due (delayed, backing off, given back); null for one that never waited. */
  availableAt: Date | null;
  attempts: number;
  lockedBy: string | null;
  lockedUntil: Date | null;
  lastError: string | null;
  sentAt: Date | null;
  deadAt: Date | null;
}
