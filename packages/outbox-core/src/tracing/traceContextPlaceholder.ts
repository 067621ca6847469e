import { TRACER_NAME } from './messagingAttributes.js';
import { nothingToTrace, otelApi } from './otelApi.js';
import { pickTraceHeaders } from './traceHeaders.js';

const PLACEHOLDER_TRACE_ID = '0123456789abcdef0123456789abcdef';
const PLACEHOLDER_SPAN_ID = '0123456789abcdef';

/**
 * The trace-context headers {@link captureTraceContext} will store for a message created in the
 * active context, with placeholder ids: the same names and lengths, computed without starting a span.
 * The size rule counts these, so a whole call can be validated before any `create` span is recorded.
 * When `@opentelemetry/api` is installed with a propagator but no SDK and no active span, this counts
 * a `traceparent` that will not be stored: the check errs by those ~70 bytes on the safe side.
 */
export function traceContextPlaceholder(): Record<string, string> {
  const api = otelApi();
  // Exactly what captureTraceContext will store then: nothing.
  if (!api || nothingToTrace(api, TRACER_NAME)) return {};
  const active = api.context.active();
  const parent = api.trace.getSpanContext(active);
  const valid = parent !== undefined && api.trace.isSpanContextValid(parent);
  const child = api.trace.wrapSpanContext({
    traceId: valid ? parent.traceId : PLACEHOLDER_TRACE_ID,
    spanId: PLACEHOLDER_SPAN_ID,
    traceFlags: valid ? parent.traceFlags : api.TraceFlags.SAMPLED,
    // A child span inherits its parent's tracestate, so the stored one has this length.
    ...(valid && parent.traceState ? { traceState: parent.traceState } : {}),
  });
  const carrier: Record<string, string> = {};
  api.propagation.inject(api.trace.setSpan(active, child), carrier);
  return pickTraceHeaders(carrier);
}
