// What the outbox-relay bin prints (never a URL password: errors, logs, help, status), its version,
// and the README's container recipe (`exec` the bin, so SIGTERM reaches it).
import { createTestDatabase, type TestDatabase } from '@tx-outbox/devkit';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CLI, runCli } from './support/cliProcess.js';

const SECRET = 'Pw-9f3k-S3cret';
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase(inject('databaseUrl'), 'cli_output');
});
afterAll(async () => {
  await db.drop();
});

/** Everything the process wrote, both streams. */
const output = (r: { logs: Array<Record<string, any>>; stderr: string[] }) => [...r.logs.map((l) => JSON.stringify(l)), ...r.stderr].join('\n');

describe('outbox-relay never prints a URL password', () => {
  it.each([
    ['a bad port', `postgres://app:${SECRET}@127.0.0.1:99999/app`],
    ['a wrong scheme', `mysql://app:${SECRET}@127.0.0.1/app`],
    ['no scheme', `app:${SECRET}@127.0.0.1:5432/app`],
    ['an unencoded @ in the password', `mysql://app:${SECRET}@x@127.0.0.1/app`],
  ])('exits 2 naming DATABASE_URL for %s, with the password masked', async (_label, url) => {
    for (const command of ['status', 'migrate', 'run']) {
      const r = await runCli([command], { DATABASE_URL: url, OUTBOX_ROUTES: 'a=arn:aws:sns:us-east-1:1:t' });
      expect(r.code).toBe(2);
      expect(r.stderr.join('\n')).toMatch(/DATABASE_URL .*\*\*\*/);
      expect(output(r)).not.toContain(SECRET);
    }
  });

  it('masks it when given as a flag, and in OUTBOX_LISTEN_DATABASE_URL and AWS_ENDPOINT_URL', async () => {
    const flag = await runCli(['status', '--database-url', `mysql://app:${SECRET}@h/app`], {});
    const listen = await runCli(['run'], {
      DATABASE_URL: db.url,
      OUTBOX_ROUTES: 'a=arn:aws:sns:us-east-1:1:t',
      OUTBOX_LISTEN_DATABASE_URL: `http://app:${SECRET}@h/app`,
    });
    const endpoint = await runCli(['run'], { DATABASE_URL: db.url, OUTBOX_ROUTES: 'a=arn:aws:sns:us-east-1:1:t', AWS_ENDPOINT_URL: `ftp://key:${SECRET}@h` });
    for (const r of [flag, listen, endpoint]) {
      expect(r.code).toBe(2);
      expect(output(r)).toContain('***');
      expect(output(r)).not.toContain(SECRET);
    }
  });

  it('logs a failed connection (wrong password, then a closed port) without it', async () => {
    const real = new URL(db.url);
    const wrong = new URL(db.url);
    wrong.password = SECRET;
    const refused = await runCli(['status'], { DATABASE_URL: wrong.toString() });
    expect(refused.code).toBe(1);
    expect(refused.logs.some((l) => l.level === 'error')).toBe(true);
    const closed = await runCli(['status'], { DATABASE_URL: `postgres://${real.username}:${SECRET}@127.0.0.1:1/app?password=${SECRET}` });
    expect(closed.code).toBe(1);
    for (const r of [refused, closed]) expect(output(r)).not.toContain(SECRET);
  });

  it('prints help and status without it', async () => {
    const help = await runCli(['run', '--help', '--database-url', `postgres://app:${SECRET}@h/app`], {});
    expect(help.code).toBe(0);
    expect(output(help)).toContain('DATABASE_URL');
    const migrated = await runCli(['migrate'], { DATABASE_URL: db.url });
    expect(migrated.code).toBe(0);
    const status = await runCli(['status', '--dead', '5'], { DATABASE_URL: db.url });
    expect(status.code).toBe(0);
    expect(status.logs[0]).toHaveProperty('pending', 0);
    const password = new URL(db.url).password;
    if (password) for (const r of [migrated, status]) expect(output(r)).not.toContain(`:${password}@`);
  });
});

describe('outbox-relay --version', () => {
  it.each([['--version'], ['-v']])('%s prints the package version and exits 0', async (flag) => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    const r = await runCli([flag], {});
    expect(r.code).toBe(0);
    expect(r.logs).toEqual([{ raw: version }]);
  });
});

describe('the README sidecar recipe', () => {
  it('`sh -c "exec node …outbox-relay.js run"`: SIGTERM to the shell\'s pid reaches the relay, which drains and exits 0', async () => {
    const child = spawn('sh', ['-c', `exec "${process.execPath}" "${CLI}" run`], {
      env: {
        ...process.env,
        DATABASE_URL: 'postgres://postgres:postgres@127.0.0.1:1/none',
        OUTBOX_ROUTES: '*=arn:aws:sns:us-east-1:000000000000:none',
        AWS_ENDPOINT_URL: inject('awsEndpoint'),
        OUTBOX_HTTP_PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    const lines: Array<Record<string, unknown>> = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the relay did not start listening')), 20_000);
      createInterface({ input: child.stdout! }).on('line', (line) => {
        lines.push(JSON.parse(line));
        if (lines.at(-1)!.msg === 'outbox-relay listening') {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    try {
      child.kill('SIGTERM'); // the pid spawn() returned is the shell's, now replaced by node
      expect(await exited).toEqual({ code: 0, signal: null });
      expect(lines.some((l) => typeof l.msg === 'string' && /stop/i.test(l.msg))).toBe(true);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
