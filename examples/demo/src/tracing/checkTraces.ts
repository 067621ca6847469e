import { readFile } from 'node:fs/promises';
import type { RecordedSpan } from './RecordedSpan.js';

const SERVER = 1;
const PRODUCER = 3;
const CONSUMER = 4;

/** What the demo checks of the spans its children recorded. */
export interface TraceCheck {
  /**
   * Committed payments whose one trace runs request (SERVER) → `create` (PRODUCER, at sendEvent) →
   * `process` (CONSUMER, in the consumer) → the handler's insert, with a relay `send` span (PRODUCER)
   * linked to the `create` span.
   */
  complete: number;
  /** Relay or consumer spans belonging or linked to a rolled-back payment's trace (must be 0). */
  rolledBackSpans: number;
  /** Rolled-back payments whose trace has its `create` span: tracing ran for them, so 0 above means something. */
  rolledBackCreated: number;
  /** One complete trace, formatted for a person to read (empty when there is none). */
  example: string;
}

/** Reads the JSON-lines span file. */
export async function readSpans(file: string): Promise<RecordedSpan[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as RecordedSpan);
}

/**
 * Checks every payment's trace. `traceOf` maps each payment id to the trace id its request carried
 * (`traceparent`); `committed` and `rolledBack` list the payment ids by outcome.
 */
export function checkTraces(spans: readonly RecordedSpan[], traceOf: ReadonlyMap<string, string>, committed: readonly string[], rolledBack: readonly string[]): TraceCheck {
  const byTrace = new Map<string, RecordedSpan[]>();
  for (const span of spans) byTrace.set(span.traceId, [...(byTrace.get(span.traceId) ?? []), span]);
  const sendSpans = spans.filter((s) => s.kind === PRODUCER && s.name.startsWith('send '));
  let complete = 0;
  let example = '';
  for (const paymentId of committed) {
    const traceId = traceOf.get(paymentId);
    const chain = traceId === undefined ? undefined : completeChain(byTrace.get(traceId) ?? [], sendSpans);
    if (!chain) continue;
    complete++;
    if (example === '') example = formatTrace(paymentId, chain);
  }
  let rolledBackSpans = 0;
  let rolledBackCreated = 0;
  for (const paymentId of rolledBack) {
    const traceId = traceOf.get(paymentId);
    if (traceId === undefined) continue;
    if ((byTrace.get(traceId) ?? []).some((s) => s.kind === PRODUCER && s.name.startsWith('create '))) rolledBackCreated++;
    rolledBackSpans += sendSpans.filter((s) => s.links.some((l) => l.traceId === traceId)).length;
    rolledBackSpans += (byTrace.get(traceId) ?? []).filter((s) => s.service !== 'payment-service').length;
  }
  return { complete, rolledBackSpans, rolledBackCreated, example };
}

function completeChain(trace: readonly RecordedSpan[], sendSpans: readonly RecordedSpan[]): RecordedSpan[] | undefined {
  const server = trace.find((s) => s.kind === SERVER && s.service === 'payment-service');
  const create = trace.find((s) => s.kind === PRODUCER && s.parentSpanId === server?.spanId);
  const process = trace.find((s) => s.kind === CONSUMER && s.parentSpanId === create?.spanId);
  const insert = trace.find((s) => s.parentSpanId === process?.spanId && s.name === 'insert notification');
  const send = sendSpans.find((s) => s.links.some((l) => l.spanId === create?.spanId && l.traceId === create.traceId));
  if (!server || !create || !process || !insert || !send) return undefined;
  return [server, create, send, process, insert];
}

const KINDS = ['INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];

function formatTrace(paymentId: string, [server, ...rest]: RecordedSpan[]): string {
  const lines = [`one trace, payment ${paymentId} (trace ${server!.traceId}):`];
  for (const span of [server!, ...rest]) {
    const offset = `+${Math.max(0, Math.round(span.startTimeMs - server!.startTimeMs))} ms`.padEnd(10);
    const own = span.traceId === server!.traceId ? '' : `  [relay's own trace ${span.traceId.slice(0, 8)}…, linked to the create span]`;
    const id = span.attributes['messaging.message.id'];
    lines.push(`  ${offset}${span.service.padEnd(23)}${KINDS[span.kind]!.padEnd(10)}${span.name}${id ? `  message ${String(id)}` : ''}${own}`);
  }
  return lines.join('\n');
}
