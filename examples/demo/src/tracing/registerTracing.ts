// node --import <this file> — registers a real OpenTelemetry SDK in a demo child (service, relay,
// consumer): AsyncLocalStorage context, the W3C propagator, and an in-memory exporter that also appends
// every finished span to OTEL_SPANS_FILE as a JSON line, tagged with OTEL_SERVICE_NAME.
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { JsonLinesSpanExporter } from './JsonLinesSpanExporter.js';

const file = process.env.OTEL_SPANS_FILE;
if (file) {
  const exporter = new JsonLinesSpanExporter(file, process.env.OTEL_SERVICE_NAME ?? 'unknown');
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
}
