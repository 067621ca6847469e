import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A named access token: the name is who the audit log says acted. */
export interface ConsoleToken {
  name: string;
  token: string;
}

/** Tokens shorter than this are refused: a console token must not be guessable. */
export const MIN_TOKEN_LENGTH = 16;

export const SESSION_COOKIE = 'outbox_console_session';
export const CSRF_COOKIE = 'outbox_console_csrf';
/** A login lasts this long. */
const SESSION_MS = 12 * 3_600_000;

const mac = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest('base64url');

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Sessions and CSRF tokens, kept in signed cookies: nothing is stored on the server, so every replica
 * with the same tokens accepts the same sessions, and changing a token ends its sessions.
 * - A session cookie is `name.expiry.nonce.mac`, the mac keyed by a key derived from that token.
 * - A CSRF token is a mac of the cookie it is bound to (the session, or, when the app authenticates
 *   the request itself, a random per-browser cookie), keyed by the same key (or `secret`). Forms carry
 *   it; every POST must bring it back.
 */
export class ConsoleAuth {
  readonly #keys: Map<string, Buffer>;
  readonly #tokens: readonly ConsoleToken[];
  readonly #csrfKey: Buffer;

  constructor(tokens: readonly ConsoleToken[], secret: string | undefined) {
    this.#tokens = tokens;
    this.#keys = new Map(tokens.map((t) => [t.name, createHmac('sha256', t.token).update('tx-outbox console session').digest()]));
    this.#csrfKey = secret !== undefined ? createHmac('sha256', secret).update('tx-outbox console csrf').digest() : randomBytes(32);
  }

  get usesTokens(): boolean {
    return this.#tokens.length > 0;
  }

  /** The name of the token given, or `undefined` (compared in constant time with each). */
  tokenName(given: string): string | undefined {
    let found: string | undefined;
    for (const t of this.#tokens) if (sameText(t.token, given)) found = t.name;
    return found;
  }

  /** A new session cookie value for `name`, valid for 12 hours from `now`. */
  newSession(name: string, now = Date.now()): string {
    const body = `${name}.${now + SESSION_MS}.${randomBytes(12).toString('base64url')}`;
    return `${body}.${mac(this.#keys.get(name)!, body)}`;
  }

  /** Who a session cookie belongs to, if it is ours, unexpired and its token still configured. */
  sessionName(cookie: string | undefined, now = Date.now()): string | undefined {
    if (!cookie) return undefined;
    const parts = cookie.split('.');
    if (parts.length !== 4) return undefined;
    const [name, expiry, nonce, signature] = parts as [string, string, string, string];
    const key = this.#keys.get(name);
    if (!key || !/^\d+$/.test(expiry) || Number(expiry) < now) return undefined;
    return sameText(mac(key, `${name}.${expiry}.${nonce}`), signature) ? name : undefined;
  }

  /** The CSRF token of a binding cookie (the session's, or the per-browser one). */
  csrfToken(binding: string): string {
    const session = this.sessionName(binding);
    return mac(session ? this.#keys.get(session)! : this.#csrfKey, `csrf.${binding}`);
  }

  /** Whether a form's CSRF token is the one of its binding cookie. */
  checkCsrf(binding: string | undefined, given: unknown): boolean {
    return typeof binding === 'string' && binding !== '' && typeof given === 'string' && sameText(this.csrfToken(binding), given);
  }
}

/** A fresh random value for the per-browser CSRF cookie. */
export function newCsrfBinding(): string {
  return randomBytes(18).toString('base64url');
}

/** The request's cookies. */
export function readCookies(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

/** A `Set-Cookie` value: HttpOnly, SameSite=Strict, under the console's path; Secure over TLS. */
export function cookie(name: string, value: string, options: { path: string; secure: boolean; maxAgeS?: number }): string {
  return [`${name}=${value}`, `Path=${options.path}`, 'HttpOnly', 'SameSite=Strict', ...(options.secure ? ['Secure'] : []), ...(options.maxAgeS !== undefined ? [`Max-Age=${options.maxAgeS}`] : [])].join('; ');
}

/**
 * Whether a POST comes from the console's own pages: a browser's `Origin` (or `Referer`) must name the
 * host the request was sent to, and `Sec-Fetch-Site`, when sent, must say same-origin. A client that
 * sends neither (a script) still needs the CSRF token.
 */
export function sameOrigin(req: IncomingMessage): boolean {
  const host = req.headers.host;
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return false;
  const from = req.headers.origin ?? req.headers.referer;
  if (from === undefined) return true;
  try {
    return host !== undefined && new URL(from).host === host;
  } catch {
    return false;
  }
}
