import { randomBytes } from 'node:crypto';

/** What the payment service answered, per request. */
export interface PaymentTally {
  /** Payment id → the trace id its request carried in `traceparent`. */
  traceOf: Map<string, string>;
  created: number;
  /** Ids of payments the service committed (201). */
  committed: string[];
  /** Ids of payments that failed on request after their event was written (422): must leave no trace. */
  rolledBack: string[];
}

export interface CreatePaymentsOptions {
  baseUrl: string;
  count: number;
  /** Every `failEvery`-th payment asks to fail after sendEvent (5 ⇒ 20 %). */
  failEvery: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** Called after each answered request (the demo kills the relay part-way from here). */
  onAnswer?: (tally: PaymentTally) => void;
}

/** POSTs `count` payments; any answer other than 201/422 fails the demo. */
export async function createPayments(options: CreatePaymentsOptions, tally: PaymentTally): Promise<void> {
  const { baseUrl, count, failEvery, concurrency, onAnswer } = options;
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const failAfterSend = i % failEvery === failEvery - 1;
      const body = { customerId: `customer-${i % 17}`, amountCents: 100 + i, currency: 'EUR', failAfterSend };
      // Each request starts its own trace, as a caller instrumented with OpenTelemetry would send it.
      const traceId = randomBytes(16).toString('hex');
      const response = await fetch(`${baseUrl}/payments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
        body: JSON.stringify(body),
      });
      const answer = (await response.json()) as { id?: string; paymentId?: string };
      const paymentId = answer.id ?? answer.paymentId;
      if (paymentId) tally.traceOf.set(paymentId, traceId);
      if (response.status === 201 && answer.id && !failAfterSend) tally.committed.push(answer.id);
      else if (response.status === 422 && answer.paymentId && failAfterSend) tally.rolledBack.push(answer.paymentId);
      else throw new Error(`POST /payments #${i} answered ${response.status} ${JSON.stringify(answer)}`);
      tally.created++;
      onAnswer?.(tally);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
