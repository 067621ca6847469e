import { appendFileSync } from 'node:fs';
import type { ExportResult } from '@opentelemetry/core';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { RecordedSpan } from './RecordedSpan.js';

/**
 * The SDK's in-memory exporter that also appends each finished span, as one JSON line, to a file, so
 * that the demo process can read the spans of its child processes (even one that was SIGKILLed).
 */
export class JsonLinesSpanExporter extends InMemorySpanExporter {
  constructor(
    private readonly file: string,
    private readonly service: string,
  ) {
    super();
  }

  override export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    const lines = spans.map((span) => JSON.stringify(toRecorded(span, this.service)) + '\n').join('');
    // Synchronous: a span is on disk before the process can be killed after it ended.
    appendFileSync(this.file, lines);
    super.export(spans, resultCallback);
  }
}

function toRecorded(span: ReadableSpan, service: string): RecordedSpan {
  const { traceId, spanId } = span.spanContext();
  return {
    service,
    traceId,
    spanId,
    parentSpanId: span.parentSpanContext?.spanId ?? null,
    name: span.name,
    kind: span.kind,
    startTimeMs: span.startTime[0] * 1000 + span.startTime[1] / 1e6,
    links: span.links.map((link) => ({ traceId: link.context.traceId, spanId: link.context.spanId })),
    attributes: span.attributes as RecordedSpan['attributes'],
    error: span.status.code === 2,
  };
}
