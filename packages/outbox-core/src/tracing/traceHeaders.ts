/**
 * The W3C trace-context headers the outbox stores with a message (in its `headers`) and publishes as
 * message attributes. These are the names OpenTelemetry's own AWS SDK instrumentation reads too.
 */
export const TRACEPARENT_HEADER = 'traceparent';
export const TRACESTATE_HEADER = 'tracestate';
export const TRACE_HEADERS: readonly string[] = [TRACEPARENT_HEADER, TRACESTATE_HEADER];

/** Only the trace-context entries of `headers` (what a propagator reads). */
export function pickTraceHeaders(headers: Readonly<Record<string, string>> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of TRACE_HEADERS) {
    const value = headers?.[name];
    if (typeof value === 'string' && value !== '') out[name] = value;
  }
  return out;
}

/** `headers` without the trace-context entries (what a user's handler sees as its headers). */
export function withoutTraceHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (!TRACE_HEADERS.includes(name)) out[name] = value;
  return out;
}
