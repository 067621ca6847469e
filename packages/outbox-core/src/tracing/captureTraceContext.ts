import { MESSAGING, OUTBOX_MESSAGING_SYSTEM, TRACER_NAME } from './messagingAttributes.js';
import { nothingToTrace, otelApi } from './otelApi.js';
import { pickTraceHeaders } from './traceHeaders.js';

/**
 * Called by the publisher for each message it writes. Records a PRODUCER "create" span (messaging
 * conventions: one per message, the message's creation context) as a child of the active span, and
 * returns its W3C `traceparent`/`tracestate`, injected with the application's propagator, to store in
 * the row. Returns `{}` when OpenTelemetry is not installed, no SDK is registered, or the propagator
 * writes no W3C context: nothing is stored and nothing else happens.
 */
export function captureTraceContext(messageId: string, subject: string): Record<string, string> {
  const api = otelApi();
  if (!api || nothingToTrace(api, TRACER_NAME)) return {};
  const active = api.context.active();
  const span = api.trace.getTracer(TRACER_NAME).startSpan(
    `create ${subject}`,
    {
      kind: api.SpanKind.PRODUCER,
      attributes: {
        [MESSAGING.system]: OUTBOX_MESSAGING_SYSTEM,
        [MESSAGING.operationType]: 'create',
        [MESSAGING.operationName]: 'create',
        [MESSAGING.destinationName]: subject,
        [MESSAGING.messageId]: messageId,
      },
    },
    active,
  );
  try {
    if (!api.trace.isSpanContextValid(span.spanContext())) return {};
    const carrier: Record<string, string> = {};
    api.propagation.inject(api.trace.setSpan(active, span), carrier);
    return pickTraceHeaders(carrier);
  } finally {
    span.end();
  }
}
