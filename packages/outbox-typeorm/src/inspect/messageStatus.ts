/**
 * Where a message is, as the console shows and filters it:
 * - `pending`: waiting for a relay and due (never waited, or its wait is over);
 * - `in_flight`: leased by a relay that is publishing it;
 * - `waiting`: due later (delayed, backing off after a failure, held for a blocked route or behind its group);
 * - `dead`: dead-lettered; `sent`: accepted by the broker.
 */
export type MessageStatus = 'pending' | 'in_flight' | 'waiting' | 'dead' | 'sent';

export const MESSAGE_STATUSES: readonly MessageStatus[] = ['pending', 'in_flight', 'waiting', 'dead', 'sent'];

/** The SQL expression of a row's {@link MessageStatus} (by the database's clock). */
export function messageStatusSql(): string {
  return `CASE WHEN dead_at IS NOT NULL THEN 'dead' WHEN sent_at IS NOT NULL THEN 'sent'
               WHEN locked_until >= now() THEN 'in_flight' WHEN available_at > now() THEN 'waiting' ELSE 'pending' END`;
}
