// Every error path of the outbox-relay CLI with passwords that broke the old mask (a quote, a space,
// `<`, `@`, `%`, `#`, `/`): bad settings (exit 2), connection errors, a refused login, the relay's
// pool errors in its logs. Nothing of a password may come out, in any encoding.
import { createServer } from 'node:net';
import { describe, expect, inject, it } from 'vitest';
import { startCli, runCli, type CliProcess } from './support/cliProcess.js';

// node-postgres reads P1 unencoded in a URL; P2 needs percent-encoding (`#`, `/`, `?` end the userinfo).
const P1 = `s3'cr et"<x>@%&;pw`;
const P2 = 'h#sh/sl?q:pw\\\\';
const libpqQuoted = (p: string) => `'${p.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function leaks(output: string, p: string): string[] {
  const url = new URL('postgres://u@h');
  url.password = p;
  // A part of it too: any 6 characters of it in a row.
  const parts = Array.from({ length: Math.max(0, p.length - 5) }, (_, i) => p.slice(i, i + 6));
  return [p, encodeURIComponent(p), url.password, JSON.stringify(p).slice(1, -1), libpqQuoted(p), ...parts].filter((form) => output.includes(form));
}
const outputOf = (r: { logs: Array<Record<string, unknown>>; stderr: string[] }) => [...r.logs.map((l) => JSON.stringify(l)), ...r.stderr].join('\n');

async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('outbox-relay keeps passwords out of every error path', () => {
  it.each([
    ['a key=value DATABASE_URL (not a URL): exit 2', async () => ({ DATABASE_URL: `host=127.0.0.1 port=5432 user=app password=${libpqQuoted(P1)} dbname=app` }), ['status'], 2],
    ['a key=value DATABASE_URL, unquoted: exit 2', async () => ({ DATABASE_URL: `host=127.0.0.1 user=app password=${encodeURIComponent(P2)}` }), ['run'], 2],
    ['another bad setting beside an unencoded URL: exit 2', async () => ({ DATABASE_URL: `postgres://app:${P1}@127.0.0.1:5432/app`, OUTBOX_BATCH_SIZE: 'lots' }), ['run'], 2],
    ['a LISTEN URL of the wrong scheme, by flag: exit 2', async () => ({ DATABASE_URL: `postgres://app:${encodeURIComponent(P2)}@127.0.0.1/app` }), ['run', '--listen-database-url', `mysql://app:${P1}@127.0.0.1/app`], 2],
    ['a database that refuses connections: exit 1', async () => ({ DATABASE_URL: `postgres://app:${P1}@127.0.0.1:${await closedPort()}/app` }), ['status'], 1],
    ['a refused login (wrong password) on the real database: exit 1', async () => {
      const url = new URL(inject('databaseUrl'));
      url.password = P1;
      return { DATABASE_URL: url.toString() };
    }, ['migrate'], 1],
  ] as const)('%s', async (_, env, args, code) => {
    const result = await runCli([...args], { ...(await env()), OUTBOX_ROUTES: 'a.*=arn:aws:sns:us-east-1:123456789012:t' });
    const output = outputOf(result);
    expect(result.code, output).toBe(code);
    expect(output.length).toBeGreaterThan(0);
    expect(leaks(output, P1)).toEqual([]);
    expect(leaks(output, P2)).toEqual([]);
  });

  it('a running relay whose database cannot be reached: its pool and claim errors in the logs, and its shutdown', async () => {
    const relay: CliProcess = startCli(['run', '--poll-interval-ms', '100'], {
      DATABASE_URL: `postgres://app:${P1}@127.0.0.1:${await closedPort()}/app`,
      OUTBOX_LISTEN_DATABASE_URL: `postgres://app:${encodeURIComponent(P2)}@127.0.0.1:${await closedPort()}/app`,
      OUTBOX_ROUTES: 'a.*=arn:aws:sns:us-east-1:123456789012:t',
      OUTBOX_HTTP_PORT: '0',
      OUTBOX_LOG_LEVEL: 'debug',
    });
    try {
      await relay.waitForLog((l) => l.stage === 'claim' && String(l.msg).includes('claim failed'));
      relay.child.kill('SIGTERM');
      expect((await relay.exited).code).toBe(0);
    } finally {
      if (relay.child.exitCode === null) relay.child.kill('SIGKILL');
    }
    const output = outputOf(relay);
    expect(output).toContain('ECONNREFUSED');
    expect(leaks(output, P1)).toEqual([]);
    expect(leaks(output, P2)).toEqual([]);
  });
});
