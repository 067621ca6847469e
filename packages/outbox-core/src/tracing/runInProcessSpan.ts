import { MESSAGING, TRACER_NAME } from './messagingAttributes.js';
import { otelApi, registeredTracer } from './otelApi.js';
import { pickTraceHeaders } from './traceHeaders.js';

/** What a consumer tells {@link runInProcessSpan} about the message it handles. */
export interface ProcessSpanInfo {
  /** The outbox message id (`messaging.message.id`). */
  messageId: string;
  /** The message's headers as received; `traceparent`/`tracestate` restore the producer's trace. */
  headers: Readonly<Record<string, string>>;
  /** `messaging.system`, e.g. `aws_sqs`. */
  system: string;
  /** Queue (or other source) name (`messaging.destination.name`). */
  destination: string;
  /** The consumer's name (`messaging.consumer.group.name`), when it has one. */
  consumer?: string;
  /** The subject, recorded as `outbox.subject`. */
  subject?: string;
}

/**
 * Runs `work` in a CONSUMER "process" span that continues the producer's trace: its parent is the
 * message's creation context (restored from `traceparent`/`tracestate`) and it links to it, so the
 * handler's own spans (database writes, calls) land in the trace that started at the producer's request.
 * Without trace headers it starts a new trace; without OpenTelemetry, or with the API but no SDK
 * registered (every span a no-op), it just runs `work`, building nothing per message.
 * The span records an exception and error status when `work` throws.
 */
export async function runInProcessSpan<T>(info: ProcessSpanInfo, work: () => Promise<T>): Promise<T> {
  const api = otelApi();
  const tracer = api && registeredTracer(api, TRACER_NAME);
  if (!api || !tracer) return work();
  const carrier = pickTraceHeaders(info.headers);
  const parent = carrier.traceparent === undefined ? api.ROOT_CONTEXT : api.propagation.extract(api.ROOT_CONTEXT, carrier);
  const creation = api.trace.getSpanContext(parent);
  const span = tracer.startSpan(
    `process ${info.destination}`,
    {
      kind: api.SpanKind.CONSUMER,
      links: creation && api.trace.isSpanContextValid(creation) ? [{ context: creation }] : [],
      attributes: {
        [MESSAGING.system]: info.system,
        [MESSAGING.operationType]: 'process',
        [MESSAGING.operationName]: 'process',
        [MESSAGING.destinationName]: info.destination,
        [MESSAGING.messageId]: info.messageId,
        ...(info.consumer === undefined ? {} : { [MESSAGING.consumerGroupName]: info.consumer }),
        ...(info.subject === undefined ? {} : { 'outbox.subject': info.subject }),
      },
    },
    parent,
  );
  try {
    return await api.context.with(api.trace.setSpan(parent, span), work);
  } catch (error) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: api.SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    throw error;
  } finally {
    span.end();
  }
}

/** Marks the active process span (if any) as a duplicate the inbox suppressed. */
export function markActiveSpanDuplicate(): void {
  otelApi()?.trace.getActiveSpan()?.setAttribute('outbox.inbox.duplicate', true);
}
