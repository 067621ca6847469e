// README (outbox-core), "Idempotent receipt": InboxRetention purges expired inbox records on a schedule.
import type { InboxStore } from '@tx-outbox/outbox-core';

declare const inbox: InboxStore;
let purgedTotal = 0;

// #region inbox-retention
import { InboxRetention } from '@tx-outbox/outbox-core';

const retention = new InboxRetention(inbox, { intervalMs: 60_000, onPurged: (count) => (purgedTotal += count) });
retention.start(); // purges every minute, 1000 records per statement, until none have expired
await retention.stop(); // on shutdown: cancels the next run and waits for the current one
// #endregion inbox-retention
export { purgedTotal };
