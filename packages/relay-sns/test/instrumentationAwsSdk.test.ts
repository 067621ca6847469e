// Trace context with @opentelemetry/instrumentation-aws-sdk loaded, as auto-instrumentations load it:
// it wraps every SDK client and writes its own traceparent into each SendMessageBatch entry. The
// consumer's span must still land in the trace of the request that sent the event, on SQS and SNS routes.
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { AwsInstrumentation } from '@opentelemetry/instrumentation-aws-sdk';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { captureTraceContext } from '@tx-outbox/outbox-core/internal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const instrumentation = new AwsInstrumentation();
// Registered before the SDK is first loaded (below), as an SDK preloaded with --import/--require is.
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new W3CTraceContextPropagator());
trace.setGlobalTracerProvider(provider);
const unregister = registerInstrumentations({ instrumentations: [instrumentation], tracerProvider: provider });

const { SNSClient } = await import('@aws-sdk/client-sns');
const { SQSClient, ReceiveMessageCommand } = await import('@aws-sdk/client-sqs');
const { SnsTransport, SqsTransport } = await import('../src/index.js');
const { handleReceivedMessage, receiveOutboxMessage } = await import('../src/consumer/receiveOutboxMessage.js');
const { awsConfig, createQueue, createTopic, outboxMessage, subscribeQueue } = await import('./support/aws.js');

let sns: InstanceType<typeof SNSClient>;
let sqs: InstanceType<typeof SQSClient>;
beforeAll(() => {
  sns = new SNSClient(awsConfig());
  sqs = new SQSClient(awsConfig());
});
afterAll(async () => {
  sns.destroy();
  sqs.destroy();
  unregister();
  await provider.shutdown();
  trace.disable();
  propagation.disable();
  context.disable();
});

/** A request of the producer's service: its span, and the headers sendEvent stores for a message. */
function requestThatSendsAnEvent(subject: string) {
  const tracer = trace.getTracer('payment-service');
  return tracer.startActiveSpan('POST /payments', (span) => {
    const message = outboxMessage({ subject });
    message.headers = captureTraceContext(message.id, subject);
    span.end();
    return { traceId: span.spanContext().traceId, message };
  });
}

/** Receives one message from the queue and runs a handler for it the way every consumer front door does; the handler's trace id. */
async function consumeOne(queueUrl: string): Promise<{ traceId: string | undefined; traceparent: string | undefined }> {
  for (const deadline = Date.now() + 15_000; Date.now() < deadline; ) {
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'], WaitTimeSeconds: 1 }));
    const raw = out.Messages?.[0];
    if (!raw) continue;
    let traceId: string | undefined;
    await handleReceivedMessage(receiveOutboxMessage(raw), { destination: 'q', handler: () => void (traceId = trace.getActiveSpan()?.spanContext().traceId) });
    return { traceId, traceparent: raw.MessageAttributes?.traceparent?.StringValue };
  }
  throw new Error('no message within 15 s');
}

/** The instrumentation's own spans of a call: it did wrap the client. */
const instrumentedSends = (operation: string) =>
  exporter.getFinishedSpans().filter((s) => s.instrumentationScope.name === '@opentelemetry/instrumentation-aws-sdk' && s.attributes['rpc.method'] === operation);

describe('trace context through @opentelemetry/instrumentation-aws-sdk', () => {
  it('SQS route (SendMessageBatch, whose entries the instrumentation stamps): the consumer continues the request trace', async () => {
    const queueUrl = await createQueue(sqs, 'otel-sqs');
    const { traceId, message } = requestThatSendsAnEvent('otel.sqs');
    const transport = new SqsTransport({ client: sqs, routes: () => queueUrl });

    // The relay publishes outside any request, as the sidecar does.
    const [result] = await transport.publish([message], { ordered: false });
    const consumed = await consumeOne(queueUrl);

    expect(result).toMatchObject({ status: 'sent' });
    expect(instrumentedSends('SendMessageBatch').length).toBeGreaterThan(0);
    expect(consumed.traceparent).toBe(message.headers.traceparent);
    expect(consumed.traceId).toBe(traceId);
  });

  it('SNS route (PublishBatch to a subscribed queue): the consumer continues the request trace', async () => {
    const topicArn = await createTopic(sns, 'otel-sns');
    const queueUrl = await createQueue(sqs, 'otel-sns');
    await subscribeQueue(sns, sqs, topicArn, queueUrl, true);
    const { traceId, message } = requestThatSendsAnEvent('otel.sns');
    const transport = new SnsTransport({ client: sns, routes: () => topicArn });

    const [result] = await transport.publish([message], { ordered: false });
    const consumed = await consumeOne(queueUrl);

    expect(result).toMatchObject({ status: 'sent' });
    expect(instrumentedSends('PublishBatch').length).toBeGreaterThan(0);
    expect(consumed.traceparent).toBe(message.headers.traceparent);
    expect(consumed.traceId).toBe(traceId);
  });
});
