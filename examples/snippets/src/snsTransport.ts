// README (relay-sns), "SnsTransport": prefix routes to a standard and a FIFO topic.

// #region sns-transport
import { SnsTransport } from '@tx-outbox/relay-sns';

const transport = new SnsTransport({
  region: 'eu-west-1',
  routes: [
    { prefix: 'payment.', topicArn: 'arn:aws:sns:eu-west-1:123456789012:payments' },
    { prefix: 'payment.refund.', topicArn: 'arn:aws:sns:eu-west-1:123456789012:refunds.fifo' },
  ],
});
// #endregion sns-transport
