import { OutboxError } from '@tx-outbox/outbox-core';

/**
 * A notification the store sent itself on its channel never reached its LISTEN connection: wake-ups
 * are being dropped. The relay keeps polling, so messages still go out, at poll speed.
 */
export class NotificationsLostError extends OutboxError {
  readonly channel: string;
  readonly timeoutMs: number;
  constructor(channel: string, timeoutMs: number) {
    super(
      `A NOTIFY sent on channel "${channel}" did not reach the LISTEN connection within ${timeoutMs} ms, so ` +
        'commits no longer wake the relay and it publishes on its poll interval only. The likely cause is a ' +
        'connection pooler in transaction mode (PgBouncer pool_mode=transaction, RDS Proxy) between the relay ' +
        'and PostgreSQL: LISTEN "succeeds" through it but the notifications are dropped. Fix: give LISTEN a ' +
        'connection of its own, straight to PostgreSQL or through a session-mode pool: the `listenPool` option ' +
        'of PostgresOutboxStore, or OUTBOX_LISTEN_DATABASE_URL for the outbox-relay sidecar.',
    );
    this.name = 'NotificationsLostError';
    this.channel = channel;
    this.timeoutMs = timeoutMs;
  }
}
