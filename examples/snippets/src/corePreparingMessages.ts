// README (outbox-core), "Writing a publisher": validate the whole call, then stamp what is written.

// #region preparing-messages
import { stampMessages, validateMessages } from '@tx-outbox/outbox-core';

// Every rule first, for every message: one bad message refuses the call, nothing is traced yet.
const validated = validateMessages([{ subject: 'order.placed', body: { orderId: 'o-1' } }], { maxMessageBytes: 262_144 });
// Once the call is accepted, right before the insert: ids (uuid v7) and the trace context (a `create` span each).
const rows = stampMessages(validated);
// #endregion preparing-messages

export const used: unknown[] = [rows];
