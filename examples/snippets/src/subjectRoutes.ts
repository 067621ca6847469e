// README (relay-sns), "Routes": the three forms of `routes`.
declare const arnA: string;
declare const arnB: string;
declare const arnAll: string;

// #region routes
import type { SnsRoutes } from '@tx-outbox/relay-sns';

const exact: SnsRoutes = { 'payment.created': arnA, 'payment.refunded': arnB }; // exact subjects
const computed: SnsRoutes = (subject) => (subject.startsWith('payment.') ? arnA : undefined); // a function
const prefixes: SnsRoutes = [{ prefix: 'payment.', topicArn: arnA }, { prefix: '', topicArn: arnAll }]; // prefix rules
// #endregion routes
