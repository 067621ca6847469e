// The typed publisher against real PostgreSQL: a body its subject's schema refuses (zod and valibot)
// is refused with InvalidEventBodyError listing the issues, and no row is written.
import pg from 'pg';
import type { DataSource } from 'typeorm';
import * as v from 'valibot';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineContract, eventType } from '@tx-outbox/outbox-core';
import { TransactionalOutbox } from '../src/index.js';
import { openTestDataSource, type TestDataSource } from './fixtures/testDataSource.js';

const contract = defineContract({
  'zod.created': z.object({ paymentId: z.string(), amountCents: z.number().int() }),
  'valibot.created': v.object({ paymentId: v.string(), amountCents: v.pipe(v.number(), v.integer()) }),
  'plain.created': eventType<{ paymentId: string }>(),
});

let env: TestDataSource;
let pool: pg.Pool;
let dataSource: DataSource;
const payments = new TransactionalOutbox().typed(contract);
const rows = async (subject: string) =>
  (await pool.query<{ body: unknown }>('SELECT payload AS body FROM outbox WHERE subject = $1', [subject])).rows.map((r) => r.body);

beforeAll(async () => {
  env = await openTestDataSource('typed_outbox');
  ({ pool, dataSource } = env);
});
afterAll(async () => {
  await env?.close();
});

describe('outbox.typed(contract)', () => {
  for (const subject of ['zod.created', 'valibot.created'] as const) {
    it(`${subject}: a valid body is written; an invalid one is refused with its issues and nothing is written`, async () => {
      await dataSource.transaction((manager) => payments.sendEvent({ subject, body: { paymentId: 'p-1', amountCents: 1250 } }, { manager }));
      const refused = dataSource.transaction((manager) =>
        payments.sendEvents(
          [
            { subject, body: { paymentId: 'p-2', amountCents: 3 } },
            { subject, body: { paymentId: 'p-3', amountCents: 'ten' as unknown as number } },
          ],
          { manager },
        ),
      );
      await expect(refused).rejects.toMatchObject({ name: 'InvalidEventBodyError', field: 'body', subject, issues: [{ path: 'amountCents' }] });
      await expect(refused).rejects.toThrow(/amountCents: /);
      expect(await rows(subject)).toEqual([{ paymentId: 'p-1', amountCents: 1250 }]);
    });
  }

  it('a type-only entry is written unchecked; a subject outside the contract is refused (UnknownEventSubjectError)', async () => {
    await dataSource.transaction((manager) => payments.sendEvent({ subject: 'plain.created', body: { paymentId: 'p-4' } }, { manager }));
    const unknown = { subject: 'not.declared', body: {} } as unknown as Parameters<typeof payments.sendEvent>[0];
    await expect(dataSource.transaction((manager) => payments.sendEvent(unknown, { manager }))).rejects.toMatchObject({ name: 'UnknownEventSubjectError' });
    expect([await rows('plain.created'), await rows('not.declared')]).toEqual([[{ paymentId: 'p-4' }], []]);
  });

  it('defineContract refuses an entry that is not a schema', () => {
    expect(() => defineContract({ 'x.y': { '~standard': {} } as never })).toThrow(expect.objectContaining({ name: 'InvalidOptionError' }));
  });
});
