// The secret mask over generated passwords: every printable ASCII character (and some non-ASCII), in a
// URL (percent-encoded, and unencoded as node-postgres accepts it) and in a libpq key=value string
// (quoted with escapes, unquoted, spaces around `=`), inside plain text, JSON log lines, error stacks
// and JSON in JSON. Nothing of a password may come out; JSON stays JSON.
import { describe, expect, it } from 'vitest';
import { connectionPasswords } from '../src/connectionPasswords.js';
import { createSecretMask } from '../src/createSecretMask.js';
import { maskUrlPasswords } from '../src/maskUrlPasswords.js';

const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));
// node-postgres reads these unencoded in a URL's password; `#`, `/` and `?` end the userinfo for it.
const URL_SAFE_UNENCODED = (c: string) => !'#/?'.includes(c);

/** One password per printable character (it appears twice, mid-word and at an end), plus mixes and non-ASCII. */
function passwords(): string[] {
  const list = PRINTABLE.map((c) => `pw${c}se${c}cr3t${c}`);
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  for (let n = 0; n < 40; n++) list.push(Array.from({ length: 6 + (next() % 20) }, () => PRINTABLE[next() % PRINTABLE.length]!).join('') + 'Zq');
  list.push('pässwörd-ünïcode', '密码密码-kennwort', '🔑key🔑with emoji', "it's a \"quoted\" <kennw0rt> & more");
  return list;
}

const libpqQuoted = (p: string) => `'${p.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** Every connection string form a password may be written in, with the reading that holds it. */
function forms(p: string): string[] {
  const out = [`postgres://app:${encodeURIComponent(p)}@db.internal:5432/app?sslmode=require`, `host=db.internal port=5432 user=app password=${libpqQuoted(p)} dbname=app`, `password = ${libpqQuoted(p)} host=db`];
  if ([...p].every(URL_SAFE_UNENCODED)) out.push(`postgresql://app:${p}@db.internal/app`);
  if (!/[\s'\\]/.test(p)) out.push(`host=db password=${p} user=app`);
  out.push(`postgres://db.internal/app?user=app&password=${encodeURIComponent(p)}`);
  return out;
}

/** Where a connection string ends up in output: a message, a JSON log line, a stack, JSON inside JSON. */
function contexts(form: string): Array<{ text: string; json: boolean }> {
  const line = JSON.stringify({ level: 'error', msg: `connect failed for ${form}`, error: { message: `bad ${form}`, input: form }, hostname: 'vm' });
  return [
    { text: `DATABASE_URL must be a postgres:// URL, got ${JSON.stringify(form)}.`, json: false },
    { text: `could not connect to ${form} (ECONNREFUSED)`, json: false },
    { text: line, json: true },
    { text: String(new Error(`connect ${form}`).stack), json: false },
    { text: JSON.stringify({ msg: 'wrapped', payload: line }), json: true },
  ];
}

/** The ways a password could still show: as is, and as each encoding would write it. */
function leaks(text: string, p: string): string[] {
  const url = new URL('postgres://u@h');
  url.password = p;
  const shown = [p, encodeURIComponent(p), url.password, JSON.stringify(p).slice(1, -1)];
  // A part of it too: any 6 characters of it in a row.
  const parts = Array.from({ length: Math.max(0, p.length - 5) }, (_, i) => p.slice(i, i + 6));
  return [...shown, ...parts].filter((s) => text.includes(s));
}

describe('connectionPasswords', () => {
  it.each(passwords())('reads %j from every form', (p) => {
    for (const form of forms(p)) expect(connectionPasswords(form), form).toContain(p);
  });
});

describe('createSecretMask', () => {
  it.each(passwords())('leaves nothing of %j in any output, and JSON stays JSON', (p) => {
    for (const form of forms(p)) {
      const mask = createSecretMask([form]);
      for (const { text, json } of contexts(form)) {
        const masked = mask(text);
        expect(leaks(masked, p), `${form}\n→ ${masked}`).toEqual([]);
        if (json) expect(() => JSON.parse(masked), masked).not.toThrow();
      }
    }
  });

  it('masks a short password only where it stands as a password, not every occurrence', () => {
    const mask = createSecretMask(['postgres://app:ab1@db/app']);
    expect(mask('cannot reach postgres://app:ab1@db/app; tab1 open')).toBe('cannot reach postgres://app:***@db/app; tab1 open');
  });
});

describe('maskUrlPasswords (no password known): the forms it can find in unknown text', () => {
  it.each(passwords())('masks %j in a URL and a key=value string, plain and in a JSON line', (p) => {
    for (const form of forms(p)) {
      for (const { text, json } of contexts(form)) {
        const masked = maskUrlPasswords(text);
        expect(leaks(masked, p), `${form}\n→ ${masked}`).toEqual([]);
        if (json) expect(() => JSON.parse(masked), masked).not.toThrow();
      }
    }
  });
});
