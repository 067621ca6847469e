// README (relay-sns), "SqsTransport": exact-subject routes to a queue.

// #region sqs-transport
import { SqsTransport } from '@tx-outbox/relay-sns';

const transport = new SqsTransport({
  region: 'eu-west-1',
  routes: { 'invoice.paid': 'https://sqs.eu-west-1.amazonaws.com/123456789012/invoices' },
});
// #endregion sqs-transport
