/** A finished span as the demo's children write it (one JSON line each). */
export interface RecordedSpan {
  /** OTEL_SERVICE_NAME of the process that recorded it. */
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  /** OpenTelemetry SpanKind: 0 internal, 1 server, 2 client, 3 producer, 4 consumer. */
  kind: number;
  startTimeMs: number;
  links: Array<{ traceId: string; spanId: string }>;
  attributes: Record<string, string | number | boolean | undefined>;
  error: boolean;
}
