export { TRACEPARENT_HEADER, TRACESTATE_HEADER, TRACE_HEADERS, pickTraceHeaders, withoutTraceHeaders } from './traceHeaders.js';
export { MESSAGING, OUTBOX_MESSAGING_SYSTEM, TRACER_NAME } from './messagingAttributes.js';
export { captureTraceContext } from './captureTraceContext.js';
export { traceBrokerBatch } from './traceBrokerBatch.js';
export type { BrokerBatchTraceInfo, EndBrokerBatchSpan } from './traceBrokerBatch.js';
export { runInProcessSpan, markActiveSpanDuplicate } from './runInProcessSpan.js';
export type { ProcessSpanInfo } from './runInProcessSpan.js';
