import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import pg from 'pg';
import { captureTraceContext, newMessageId, stampMessages, validateMessages } from '@tx-outbox/outbox-core/internal';
import { insertOutboxMessages } from '@tx-outbox/outbox-typeorm/postgres';
import { insertFloorRow } from '../sql/insertFloorRow.js';
import { FILLER_BYTES } from '../sql/seedMessages.js';

/** pg's own parameter encoding (what it runs on every value of a query). */
const { prepareValue } = createRequire(import.meta.url)('pg/lib/utils') as { prepareValue(value: unknown): unknown };

/** Statements per BEGIN … COMMIT in the round-trip parts (a commit per statement would only add waiting). */
const PER_TRANSACTION = 500;

/**
 * CPU per call of each part of a `sendEvent` and of the floor, each measured alone in this process
 * (`process.cpuUsage`, user + sys, `iterations` calls after as many unmeasured): the core's validation
 * and stamping and what they call, pg's encoding of the insert's parameters, and, over a real
 * connection, `insertOutboxMessages` of one message (validation, stamping and the statement) beside
 * the floor's one-row insert. No transaction library, no TypeORM: what is left of a transaction's
 * CPU once these are known is theirs.
 */
export async function publisherParts(url: string, iterations: number): Promise<Record<string, number>> {
  const body = { orderId: 1, kind: 'order.created', data: 'x'.repeat(FILLER_BYTES) };
  const message = { subject: 'bench.order.created', body };
  const validated = validateMessages([message]);
  const [prepared] = stampMessages(validated);
  const libraryValues = [[prepared!.id], [prepared!.subject], [prepared!.payload], [JSON.stringify(prepared!.headers)], [null], [null], [0], 'channel'];
  const floorValues = [randomUUID(), 'bench.order.created', JSON.stringify(body)];
  const sync = (fn: () => unknown) => {
    for (let i = 0; i < iterations; i++) fn();
    const start = process.cpuUsage();
    for (let i = 0; i < iterations; i++) fn();
    const cpu = process.cpuUsage(start);
    return (cpu.user + cpu.system) / iterations;
  };
  const parts: Record<string, number> = {
    'validateMessages, one ~500 B message': sync(() => validateMessages([message])),
    'stampMessages (id + trace context)': sync(() => stampMessages(validated)),
    'newMessageId (uuid v7)': sync(() => newMessageId()),
    'captureTraceContext, no tracer registered': sync(() => captureTraceContext(prepared!.id, prepared!.subject)),
    "pg parameter encoding, the library insert's 8 values": sync(() => libraryValues.map(prepareValue)),
    "pg parameter encoding, the floor's 3 values": sync(() => floorValues.map(prepareValue)),
    "floor's own work: randomUUID + JSON.stringify of the body": sync(() => [randomUUID(), JSON.stringify(body)]),
  };

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const roundTrips = async (statement: () => Promise<unknown>) => {
      let cpu = { user: 0, system: 0 };
      for (const measured of [false, true]) {
        for (let done = 0; done < iterations; done += PER_TRANSACTION) {
          await client.query('BEGIN');
          const start = process.cpuUsage();
          for (let i = 0; i < PER_TRANSACTION; i++) await statement();
          const used = process.cpuUsage(start);
          if (measured) cpu = { user: cpu.user + used.user, system: cpu.system + used.system };
          await client.query('COMMIT');
        }
      }
      return (cpu.user + cpu.system) / (Math.ceil(iterations / PER_TRANSACTION) * PER_TRANSACTION);
    };
    parts['insertOutboxMessages, one message, round trip'] = await roundTrips(() => insertOutboxMessages(client, [message]));
    parts['hand-written one-row insert, round trip'] = await roundTrips(() => insertFloorRow(client, randomUUID(), 'bench.order.created', JSON.stringify(body)));
    // What a round trip costs the client with no work in it, short and 1 ms long: on a virtual machine a
    // wait's wake-up is CPU time of the waiting process, so a slower statement also reads as more client CPU.
    parts['SELECT 1, round trip'] = await roundTrips(() => client.query('SELECT 1'));
    parts['SELECT pg_sleep(0.001), round trip'] = await roundTrips(() => client.query('SELECT pg_sleep(0.001)'));
  } finally {
    await client.end();
  }
  return parts;
}
