import pg from 'pg';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@tx-outbox/devkit';
import { jsonbTextLength } from '@tx-outbox/outbox-core/internal';
import { createOutboxTable, insertRows } from './fixtures/outboxTable.js';

let db: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase(inject('databaseUrl'), 'jsonb_text_length');
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
  await createOutboxTable(pool);
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

it('matches the size of the jsonb text PostgreSQL gives the relay back', async () => {
  const bodies: unknown[] = [
    {},
    [],
    { a: 1, b: [1, 2, { c: null, d: [] }], e: { f: { g: true } }, h: -1.5 },
    [[[]], [{}], [1, [2, [3]]]],
    { 'key: with, separators': 'value: with, "quotes" and \\ backslash \\", :' },
    ['tab\tnew\nline', 'ctrl \u0001 \u001f', 'slash / \\/', '', ',', ':'],
    { unicode: 'é € 😀 日本語', 'ключ': ['ü', { 'ä:ö': 'ß,ẞ' }] },
    { z: 1, a: 2, m: { y: [1, 2], b: 'x' } }, // keys sorted by jsonb: never longer
    'a plain string, with: separators',
    12345,
    // JSON.stringify writes these with an exponent; jsonb's numeric prints every digit.
    [1e21, 1.5e-7, -2.5e30, 5e-324, 1.7976931348623157e308, 123e-2, 1e-7, true, false, { e: 1e22 }],
  ];
  const ids = await insertRows(pool, bodies.map((body) => ({ body })));
  const { rows } = await pool.query<{ id: string; bytes: number }>(
    'SELECT id::text AS id, octet_length(payload::text) AS bytes FROM outbox',
  );
  const printed = new Map(rows.map((r) => [r.id, r.bytes]));
  expect(ids.map((id) => printed.get(id))).toEqual(bodies.map((body) => jsonbTextLength(JSON.stringify(body))));
});
