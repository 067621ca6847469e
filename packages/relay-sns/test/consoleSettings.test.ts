// The console's settings: a bad OUTBOX_CONSOLE_TOKENS exits 2 naming the variable, never quoting a token.
import { describe, expect, it } from 'vitest';
import { parseConsoleTokens } from '../src/cli/parseConsoleTokens.js';
import { runCli } from './support/cliProcess.js';

describe('OUTBOX_CONSOLE_TOKENS', () => {
  it('reads name=token pairs', () => {
    expect(parseConsoleTokens('alice=0123456789abcdef0123,bob=ZmVkY2JhOTg3NjU0MzIxMA==')).toEqual([
      { name: 'alice', token: '0123456789abcdef0123' },
      { name: 'bob', token: 'ZmVkY2JhOTg3NjU0MzIxMA==' },
    ]);
    expect(parseConsoleTokens(undefined)).toEqual([]);
  });

  it.each([
    ['a token without a name', '0123456789abcdef0123'],
    ['a short token', 'alice=tooShortTok'],
    ['a name given twice', 'alice=0123456789abcdef0123,alice=0123456789abcdef9999'],
  ])('refuses %s with exit 2, naming the variable and not the token', async (_what, raw) => {
    const { code, stderr } = await runCli(['console'], { DATABASE_URL: 'postgres://u@127.0.0.1:1/db', OUTBOX_CONSOLE_TOKENS: raw });
    expect(code).toBe(2);
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toMatch(/^outbox-relay: OUTBOX_CONSOLE_TOKENS \(--console-tokens\), entry \d/);
    for (const token of raw.split(',').map((p) => p.slice(p.indexOf('=') + 1))) expect(stderr[0]).not.toContain(token);
  });
});
