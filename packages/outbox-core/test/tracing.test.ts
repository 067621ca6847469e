import { SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handleOnce } from '../src/inbox/handleOnce.js';
import { InMemoryInboxStore } from '../src/inbox/InMemoryInboxStore.js';
import { jsonbTextLength } from '../src/jsonbTextLength.js';
import { messageSize } from '../src/messageSize.js';
import { prepareMessage, prepareMessages } from '../src/prepareMessage.js';
import { MAX_HEADERS } from '../src/validation/checkHeaders.js';
import { runInProcessSpan } from '../src/tracing/runInProcessSpan.js';
import { traceBrokerBatch } from '../src/tracing/traceBrokerBatch.js';

const sixHeaders = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`h${i}`, 'v']));

describe('without an OpenTelemetry SDK', () => {
  it('stores no trace context and records nothing', () => {
    const prepared = prepareMessage({ subject: 'payment.created', body: {}, headers: { a: '1' } });
    expect(prepared.headers).toEqual({ a: '1' });
  });

  it('builds no broker-batch span, reading no message, while no tracer provider is registered (the API alone is installed)', () => {
    let reads = 0;
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const message = {
      id: 'm1',
      get headers() {
        reads++;
        return { traceparent };
      },
    };
    const end = traceBrokerBatch({ system: 'aws_sns', operationName: 'PublishBatch', destination: 'payments', messages: [message] });
    end({ failed: 0 });
    expect(reads).toBe(0);
  });
});

describe('headers budget', () => {
  it('allows six headers (10 attributes less outbox id, subject, traceparent, tracestate)', () => {
    expect(MAX_HEADERS).toBe(6);
    expect(prepareMessage({ subject: 's', body: {}, headers: sixHeaders }).headers).toEqual(sixHeaders);
  });

  it('refuses a seventh header with TooManyHeadersError', () => {
    const error = (() => {
      try {
        prepareMessage({ subject: 's', body: {}, headers: { ...sixHeaders, h6: 'v' } });
      } catch (e) {
        return e as Error & { count: number; limit: number; field: string };
      }
    })();
    expect(error).toMatchObject({ name: 'TooManyHeadersError', count: 7, limit: 6, field: 'headers' });
    expect(error!.message).toMatch(/At most 6 headers/);
  });

  it.each(['traceparent', 'tracestate', 'outbox-message-id', 'subject'])('refuses the reserved header name %s', (name) => {
    expect(() => prepareMessage({ subject: 's', body: {}, headers: { [name]: 'x' } })).toThrow(/reserved/);
  });
});

describe('with a real OpenTelemetry SDK (in-memory exporter)', () => {
  const exporter = new InMemorySpanExporter();
  const tracer = () => trace.getTracer('test');

  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  });
  beforeEach(() => exporter.reset());

  it('sendEvent (prepareMessage) records a PRODUCER create span under the active span and stores its traceparent', () => {
    const request = tracer().startSpan('POST /payments', { kind: SpanKind.SERVER });
    const prepared = context.with(trace.setSpan(context.active(), request), () => prepareMessage({ subject: 'payment.created', body: { id: 1 } }));
    request.end();
    const create = exporter.getFinishedSpans().find((s) => s.name === 'create payment.created')!;
    expect(create.kind).toBe(SpanKind.PRODUCER);
    expect(create.spanContext().traceId).toBe(request.spanContext().traceId);
    expect(create.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(create.attributes).toMatchObject({ 'messaging.operation.type': 'create', 'messaging.message.id': prepared.id, 'messaging.destination.name': 'payment.created' });
    expect(prepared.headers.traceparent).toBe(`00-${create.spanContext().traceId}-${create.spanContext().spanId}-01`);
  });

  it('prepareMessages validates the whole call, trace context size included, before recording any create span', () => {
    const request = tracer().startSpan('POST /payments');
    const inRequest = <T>(fn: () => T) => context.with(trace.setSpan(context.active(), request), fn);
    const message = { subject: 'payment.created', body: { id: 'x'.repeat(100) } };
    const one = inRequest(() => prepareMessage(message));
    const stored = messageSize(one, jsonbTextLength(one.payload));
    expect(one.headers.traceparent).toBeDefined();
    exporter.reset();
    // Fits without its traceparent, not with it: refused, and nothing traced for the first message either.
    expect(() => inRequest(() => prepareMessages([{ subject: 'ok', body: {} }, message], { maxMessageBytes: stored - 1 }))).toThrowError(
      expect.objectContaining({ name: 'MessageTooLargeError' }),
    );
    expect(() => inRequest(() => prepareMessages([message, { subject: 's', body: 1n }]))).toThrowError(
      expect.objectContaining({ name: 'NonSerializableBodyError' }),
    );
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual([]);
    const accepted = inRequest(() => prepareMessages([message, message], { maxMessageBytes: stored }));
    expect(exporter.getFinishedSpans().map((s) => s.attributes['messaging.message.id'])).toEqual(accepted.map((m) => m.id));
    request.end();
  });

  it('a broker batch is one PRODUCER send span, a root linked to each message creation context', () => {
    const a = tracer().startSpan('a');
    const b = tracer().startSpan('b');
    const carrier = (span: typeof a) => {
      const out: Record<string, string> = {};
      propagation.inject(trace.setSpan(context.active(), span), out);
      return out;
    };
    const end = traceBrokerBatch({
      system: 'aws_sns', operationName: 'PublishBatch', destination: 'payments',
      messages: [{ id: 'm1', headers: { ...carrier(a), x: 'y' } }, { id: 'm2', headers: carrier(b) }, { id: 'm3', headers: {} }],
    });
    end({ failed: 1 });
    const send = exporter.getFinishedSpans().find((s) => s.name === 'send payments')!;
    expect(send.kind).toBe(SpanKind.PRODUCER);
    expect(send.parentSpanContext).toBeUndefined();
    expect(send.links.map((l) => l.context.spanId)).toEqual([a.spanContext().spanId, b.spanContext().spanId]);
    expect(send.attributes).toMatchObject({ 'messaging.system': 'aws_sns', 'messaging.operation.type': 'send', 'messaging.batch.message_count': 3 });
    expect(send.status.code).toBe(SpanStatusCode.ERROR);
  });

  it("the consumer's process span continues the producer's trace; the handler's own spans are its children", async () => {
    const prepared = prepareMessage({ subject: 'payment.created', body: {} });
    const result = await runInProcessSpan({ messageId: prepared.id, headers: prepared.headers, system: 'aws_sqs', destination: 'q' }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      tracer().startSpan('insert notification').end();
      return 7;
    });
    expect(result).toBe(7);
    const spans = exporter.getFinishedSpans();
    const create = spans.find((s) => s.name === 'create payment.created')!;
    const process = spans.find((s) => s.name === 'process q')!;
    const insert = spans.find((s) => s.name === 'insert notification')!;
    expect(process.kind).toBe(SpanKind.CONSUMER);
    expect(process.spanContext().traceId).toBe(create.spanContext().traceId);
    expect(process.parentSpanContext?.spanId).toBe(create.spanContext().spanId);
    expect(process.links[0]?.context.spanId).toBe(create.spanContext().spanId);
    expect(insert.parentSpanContext?.spanId).toBe(process.spanContext().spanId);
  });

  it('a failing handler leaves an error status and the exception on the process span', async () => {
    await expect(runInProcessSpan({ messageId: 'm', headers: {}, system: 'aws_sqs', destination: 'q' }, async () => {
      throw new TypeError('boom');
    })).rejects.toThrow('boom');
    const process = exporter.getFinishedSpans().find((s) => s.name === 'process q')!;
    expect(process.status).toMatchObject({ code: SpanStatusCode.ERROR, message: 'boom' });
    expect(process.events.map((e) => e.name)).toEqual(['exception']);
  });

  it('handleOnce with traceContext runs in a process span and marks a duplicate', async () => {
    const prepared = prepareMessage({ subject: 's', body: {} });
    const store = new InMemoryInboxStore();
    const options = { consumer: 'billing', messageId: prepared.id, traceContext: prepared.headers };
    await handleOnce(store, options, () => tracer().startSpan('charge').end());
    await handleOnce(store, options, () => undefined);
    const processes = exporter.getFinishedSpans().filter((s) => s.name === 'process billing');
    expect(processes).toHaveLength(2);
    expect(processes.map((p) => p.spanContext().traceId)).toEqual([prepared.headers.traceparent!.split('-')[1], prepared.headers.traceparent!.split('-')[1]]);
    expect(processes[0]!.attributes['outbox.inbox.duplicate']).toBeUndefined();
    expect(processes[1]!.attributes['outbox.inbox.duplicate']).toBe(true);
    expect(processes[0]!.attributes['messaging.system']).toBe('tx_outbox');
    const charge = exporter.getFinishedSpans().find((s) => s.name === 'charge')!;
    expect(charge.parentSpanContext?.spanId).toBe(processes[0]!.spanContext().spanId);
  });

  it('handleOnce without traceContext records no span of its own', async () => {
    const store = new InMemoryInboxStore();
    expect(await handleOnce(store, { consumer: 'billing', messageId: 'm-untraced' }, () => 1)).toEqual({ status: 'processed', result: 1 });
    expect(exporter.getFinishedSpans().filter((s) => s.name === 'process billing')).toEqual([]);
  });
});
