import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { ExportResultCode, W3CTraceContextPropagator, type ExportResult } from '@opentelemetry/core';
import { BasicTracerProvider, BatchSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';

/** An exporter that drops every span: the SDK does all its work (spans, links, batching), nothing leaves. */
const noopExporter: SpanExporter = {
  export: (_spans: ReadableSpan[], done: (result: ExportResult) => void) => done({ code: ExportResultCode.SUCCESS }),
  shutdown: async () => {},
};

let provider: BasicTracerProvider | undefined;

/**
 * Registers a real OpenTelemetry SDK as an application would: AsyncLocalStorage context, the W3C
 * propagator, a BatchSpanProcessor, and an exporter that sends nothing (so only the in-process cost is
 * measured).
 */
export function enableTracing(): void {
  provider ??= new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(noopExporter)] });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
}

/** Unregisters it: the API is a no-op again, as in an application without OpenTelemetry. */
export function disableTracing(): void {
  trace.disable();
  propagation.disable();
  context.disable();
}
