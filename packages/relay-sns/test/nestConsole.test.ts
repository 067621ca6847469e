// OutboxConsoleModule in a real Nest app (Express): the app's guard decides who gets in, its user
// is who the audit log names, and a requeue runs through the console's CSRF-checked form.
import 'reflect-metadata';
import { Injectable, Module, type CanActivate, type ExecutionContext, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { outboxTableDdl } from '@tx-outbox/outbox-typeorm/internal';
import { createTestDatabase, type TestDatabase } from '@tx-outbox/devkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { OutboxConsoleModule } from '../src/nest/index.js';

// Decorators applied as calls: the test transform does not compile decorator syntax.
class AdminGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<{ headers: Record<string, string>; user?: { email: string } }>();
    if (req.headers['x-admin'] !== 'yes') return false;
    req.user = { email: 'ops@example.com' };
    return true;
  }
}
Injectable()(AdminGuard);

let db: TestDatabase;
let pool: pg.Pool;
let app: INestApplication;
let base: string;
const audit: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  db = await createTestDatabase(inject('databaseUrl'), 'nestconsole');
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
  for (const statement of outboxTableDdl()) await pool.query(statement);
  await pool.query(`INSERT INTO outbox (id, subject, payload, dead_at, last_error) SELECT gen_random_uuid(), 'a.b', '{}', now() - n * interval '1 s', (ARRAY['Boom: 7', 'Bang: 8'])[n] FROM generate_series(1, 2) n`);
  class AppModule {}
  Module({
    imports: [
      OutboxConsoleModule.forRootAsync({
        path: 'ops/outbox',
        guards: [AdminGuard],
        useFactory: () => ({
          pool,
          writes: true,
          authenticate: (req) => (req.user as { email?: string } | undefined)?.email,
          logger: { info: (message, fields) => audit.push({ message, ...fields }), warn: () => {} },
        }),
      }),
    ],
  })(AppModule);
  app = await NestFactory.create(AppModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  base = `${await app.getUrl()}/ops/outbox/`.replace('[::1]', '127.0.0.1');
});

afterAll(async () => {
  await app?.close();
  await pool?.end();
  await db?.drop();
});

describe('OutboxConsoleModule', () => {
  it("serves the console behind the app's guard", async () => {
    expect((await fetch(base)).status).toBe(403);
    const page = await fetch(base, { headers: { 'x-admin': 'yes' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('ops@example.com');
  });

  it("requeues through the form with its CSRF token, logged as the guard's user", async () => {
    const failures = await (await fetch(`${base}failures`, { headers: { 'x-admin': 'yes' } })).text();
    const fingerprint = /data-fingerprint="([0-9a-f]{16})"/.exec(failures)![1]!;
    const preview = await fetch(`${base}actions/requeue?fingerprint=${fingerprint}`, { headers: { 'x-admin': 'yes' } });
    const cookie = preview.headers.get('set-cookie')!.split(';')[0]!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await preview.text())![1]!;
    const post = (fields: Record<string, string>) =>
      fetch(`${base}actions/requeue`, {
        method: 'POST',
        headers: { 'x-admin': 'yes', cookie, origin: new URL(base).origin, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      });
    expect((await post({ fingerprint, _csrf: 'wrong' })).status).toBe(403);
    expect((await pool.query('SELECT count(*)::int AS n FROM outbox WHERE dead_at IS NOT NULL')).rows[0].n).toBe(2);
    const done = await post({ fingerprint, _csrf: csrf });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('data-changed="1"');
    expect((await pool.query('SELECT count(*)::int AS n FROM outbox WHERE dead_at IS NOT NULL')).rows[0].n).toBe(1);
    expect(audit.find((a) => a.outcome === 'done')).toMatchObject({ message: 'console action', actor: 'ops@example.com', action: 'requeue', changed: 1 });
  });
});
