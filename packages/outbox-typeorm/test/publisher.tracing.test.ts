// The publisher with the real OpenTelemetry SDK: a `create` span is recorded for each message of an
// accepted call, and none for a call that is refused (a bad message, or no transaction to join),
// since nothing of it is written.
import { SpanKind, context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TransactionalOutbox } from '../src/index.js';
import { insertOutboxMessages } from '../src/postgres/index.js';
import { openTestDataSource, type TestDataSource } from './fixtures/testDataSource.js';

let env: TestDataSource;
let pool: pg.Pool;
let dataSource: DataSource;
const outbox = new TransactionalOutbox();
const exporter = new InMemorySpanExporter();

const createSpans = () => exporter.getFinishedSpans().filter((s) => s.name.startsWith('create '));
const rows = async (subject: string) =>
  (await pool.query<{ id: string; headers: Record<string, string> }>('SELECT id, headers FROM outbox WHERE subject = $1', [subject])).rows;
/** A call whose third message has a body JSON cannot carry: the whole call is refused. */
const badThird = (subject: string) => [
  { subject, body: { n: 1 } },
  { subject, body: { n: 2 } },
  { subject, body: { n: 3n } },
];

beforeAll(async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  env = await openTestDataSource('publisher_tracing');
  ({ pool, dataSource } = env);
});
afterAll(async () => {
  await env?.close();
  trace.disable();
  propagation.disable();
  context.disable();
});
beforeEach(() => exporter.reset());

describe('sendEvents with an OpenTelemetry SDK', () => {
  it('refused for its third message: a named error, no row, and no create span for any message', async () => {
    await expect(
      dataSource.transaction((manager) => outbox.sendEvents(badThird('tr.refused'), { manager })),
    ).rejects.toMatchObject({ name: 'NonSerializableBodyError' });
    expect(await rows('tr.refused')).toEqual([]);
    expect(createSpans().map((s) => s.name)).toEqual([]);
  });

  it('refused for want of a transaction: OutboxNotInTransactionError, and no create span', async () => {
    await expect(outbox.sendEvents([{ subject: 'tr.outside', body: {} }])).rejects.toMatchObject({ name: 'OutboxNotInTransactionError' });
    expect(createSpans().map((s) => s.name)).toEqual([]);
  });

  it('accepted: one PRODUCER create span per message, each stored as its row traceparent', async () => {
    const ids = await dataSource.transaction((manager) =>
      outbox.sendEvents([{ subject: 'tr.ok', body: { n: 1 } }, { subject: 'tr.ok', body: { n: 2 } }], { manager }),
    );
    const spans = createSpans();
    expect(spans.map((s) => s.attributes['messaging.message.id']).sort()).toEqual([...ids].sort());
    expect(spans.every((s) => s.kind === SpanKind.PRODUCER && s.name === 'create tr.ok')).toBe(true);
    const stored = await rows('tr.ok');
    expect(stored.map((r) => r.id).sort()).toEqual([...ids].sort());
    for (const row of stored) {
      const span = spans.find((s) => s.attributes['messaging.message.id'] === row.id)!;
      expect(row.headers.traceparent).toBe(`00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`);
    }
  });
});

describe('insertOutboxMessages with an OpenTelemetry SDK', () => {
  it('refused for its third message: no row and no create span; accepted: a span per message', async () => {
    await expect(insertOutboxMessages(pool, badThird('tr.pg.refused'))).rejects.toMatchObject({ name: 'NonSerializableBodyError' });
    expect(await rows('tr.pg.refused')).toEqual([]);
    expect(createSpans().map((s) => s.name)).toEqual([]);
    const ids = await insertOutboxMessages(pool, [{ subject: 'tr.pg.ok', body: {} }]);
    expect(createSpans().map((s) => s.attributes['messaging.message.id'])).toEqual(ids);
  });
});
