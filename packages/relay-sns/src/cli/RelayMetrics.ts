/**
 * The sidecar's Prometheus metrics, rendered in the text exposition format (version 0.0.4). A
 * dozen numbers do not justify a metrics library.
 */
export class RelayMetrics {
  published = 0;
  retried = 0;
  dead = 0;
  errors: Record<string, number> = {};
  pending = 0;
  oldestPendingAgeSeconds = 0;
  inFlight = 0;
  deadTotal = 0;
  retentionDeleted = 0;
  /** 1 while notifications do not reach the relay (it runs on its poll interval alone). */
  wakeUpsLost = 0;
  inboxPurged = 0;
  readonly startedAt = Date.now();

  countError(stage: string): void {
    this.errors[stage] = (this.errors[stage] ?? 0) + 1;
  }

  render(): string {
    const out: string[] = [];
    const metric = (name: string, type: 'counter' | 'gauge', help: string, samples: Array<[string, number]>) => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [labels, value] of samples) out.push(`${name}${labels} ${value}`);
    };
    metric('outbox_messages_published_total', 'counter', 'Messages the broker accepted.', [['', this.published]]);
    metric('outbox_messages_retried_total', 'counter', 'Publish attempts that failed and were scheduled for retry.', [['', this.retried]]);
    metric('outbox_messages_dead_total', 'counter', 'Messages dead-lettered by this relay.', [['', this.dead]]);
    metric(
      'outbox_relay_errors_total',
      'counter',
      'Relay loop errors by stage (claim, mark, publish, subscribe, wakeup, stats, retention).',
      Object.entries(this.errors).map(([stage, n]) => [`{stage="${stage}"}`, n]),
    );
    metric('outbox_retention_deleted_total', 'counter', 'Sent messages deleted by retention.', [['', this.retentionDeleted]]);
    metric('outbox_inbox_purged_total', 'counter', 'Expired inbox (dedup) records deleted by inbox retention.', [['', this.inboxPurged]]);
    metric('outbox_pending_messages', 'gauge', 'Messages not yet sent nor dead (whole table).', [['', this.pending]]);
    metric('outbox_oldest_pending_age_seconds', 'gauge', 'Age of the oldest pending message.', [['', this.oldestPendingAgeSeconds]]);
    metric('outbox_in_flight_messages', 'gauge', 'Pending messages currently leased by a relay.', [['', this.inFlight]]);
    metric('outbox_dead_messages', 'gauge', 'Dead-lettered messages in the table.', [['', this.deadTotal]]);
    metric(
      'outbox_relay_wakeups_lost',
      'gauge',
      '1 while NOTIFY wake-ups do not arrive and the relay publishes on its poll interval only (see the log for the cause).',
      [['', this.wakeUpsLost]],
    );
    metric('outbox_relay_uptime_seconds', 'gauge', 'Seconds since this relay started.', [['', Math.round((Date.now() - this.startedAt) / 1000)]]);
    return out.join('\n') + '\n';
  }
}
