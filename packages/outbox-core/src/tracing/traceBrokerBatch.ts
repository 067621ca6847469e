import type { Link, Span } from '@opentelemetry/api';
import { MESSAGING, TRACER_NAME } from './messagingAttributes.js';
import { otelApi, registeredTracer } from './otelApi.js';
import { pickTraceHeaders } from './traceHeaders.js';

/** What a transport tells {@link traceBrokerBatch} about one broker batch call. */
export interface BrokerBatchTraceInfo {
  /** `messaging.system`, e.g. `aws_sqs`, `aws_sns`. */
  system: string;
  /** The call, e.g. `PublishBatch` (`messaging.operation.name`). */
  operationName: string;
  /** Topic or queue name (`messaging.destination.name`): a name, never a full ARN with an account id. */
  destination: string;
  /** The messages' stored headers; each one's trace context becomes a link. */
  messages: ReadonlyArray<{ id: string; headers: Readonly<Record<string, string>> }>;
}

/** Ends the span of a broker batch with the number of entries the broker refused. */
export type EndBrokerBatchSpan = (outcome: { failed: number; error?: unknown }) => void;

const NOOP: EndBrokerBatchSpan = () => {};

/**
 * Starts the PRODUCER "send" span of one broker batch (PublishBatch / SendMessageBatch), a root span
 * linked to each message's creation context (the `create` span recorded at `sendEvent`): the relay works
 * outside the producer's request, and one call carries messages of many traces, so links, not a parent,
 * as the messaging conventions prescribe for batches. No-op without OpenTelemetry or without a registered
 * tracer provider (then it reads no message at all).
 */
export function traceBrokerBatch(info: BrokerBatchTraceInfo): EndBrokerBatchSpan {
  const api = otelApi();
  const tracer = api && registeredTracer(api, TRACER_NAME);
  if (!api || !tracer) return NOOP;
  const links: Link[] = [];
  for (const message of info.messages) {
    const carrier = pickTraceHeaders(message.headers);
    if (carrier.traceparent === undefined) continue;
    const linked = api.trace.getSpanContext(api.propagation.extract(api.ROOT_CONTEXT, carrier));
    if (linked && api.trace.isSpanContextValid(linked)) links.push({ context: linked, attributes: { [MESSAGING.messageId]: message.id } });
  }
  const span: Span = tracer.startSpan(
    `send ${info.destination}`,
    {
      kind: api.SpanKind.PRODUCER,
      root: true,
      links,
      attributes: {
        [MESSAGING.system]: info.system,
        [MESSAGING.operationType]: 'send',
        [MESSAGING.operationName]: info.operationName,
        [MESSAGING.destinationName]: info.destination,
        [MESSAGING.batchMessageCount]: info.messages.length,
        ...(info.messages.length === 1 ? { [MESSAGING.messageId]: info.messages[0]!.id } : {}),
      },
    },
  );
  return ({ failed, error }) => {
    if (error !== undefined) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: api.SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    } else if (failed > 0) {
      span.setStatus({ code: api.SpanStatusCode.ERROR, message: `${failed} of ${info.messages.length} entries refused` });
    }
    span.end();
  };
}
