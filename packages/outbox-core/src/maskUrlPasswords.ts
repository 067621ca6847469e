/** What a masked password reads as. */
export const MASKED_PASSWORD = '***';

// Where a URL's userinfo starts: `scheme://user:` (a user name has no `:`, `@`, `/` or space unencoded).
const USERINFO_START = /[a-z][a-z0-9+.-]*:\/\/[^\s:@/"]*:/gi;
// `user:password@host` without a scheme, at the start or after a separator (someone forgot `postgres://`).
const BARE_USERINFO = /(^|[\s"'(=,])([\w.%+-]+):[^\s"'<>@/]+@/g;
// A password key of a URL query or a libpq key=value string: `password=`, `sslpassword = `, `?pass=`.
const PASSWORD_KEY = /(?<![\w-])(?:ssl)?pass(?:word)?\s*=\s*/gi;

/**
 * Replaces every password in connection strings inside `text` with `***`, reading them as they are
 * parsed rather than by what a password usually looks like:
 * - a URL's userinfo, `scheme://user:PASSWORD@host`: everything from the user's `:` to the last `@` before
 *   the next URL or the end of the line is the password, so an unencoded `@`, `'`, `"`, `<` or a space in
 *   it is masked with the rest; `user:PASSWORD@host` without a scheme too;
 * - a `password=` / `sslpassword=` value of a URL query or a libpq key=value string
 *   (`host=db password='it\'s a secret'`): a quoted value to its closing quote, backslash escapes
 *   included, an unquoted one to the next space.
 *
 * Works on any text (an error message, a log line), on strings that do not parse as URLs, and on a JSON
 * document (a JSON log line): that one is parsed, each of its strings masked, and written back, so it
 * stays JSON. It masks what it can find in unknown text; for passwords you know
 * (your connection strings) {@link createSecretMask} masks them wherever and however they appear.
 *
 * @example
 * ```ts
 * maskUrlPasswords('cannot connect to postgres://app:s3cret@db:5432/app'); // 'cannot connect to postgres://app:***@db:5432/app'
 * maskUrlPasswords("host=db password='s3 cret'"); // "host=db password='***'"
 * ```
 */
export function maskUrlPasswords(text: string): string {
  const json = maskJson(text);
  return json ?? maskPlain(text);
}

function maskPlain(text: string): string {
  return maskPasswordValues(maskBareUserinfo(maskUserinfo(text)));
}

/**
 * A JSON document (a log line): parsed, each string masked as plain text (a nested JSON document in a
 * string likewise), written back in the same compact form; undefined when `text` is not JSON.
 */
function maskJson(text: string): string | undefined {
  const body = text.trimEnd();
  if (!/^[[{]/.test(body)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  return JSON.stringify(maskValue(parsed)) + text.slice(body.length);
}

function maskValue(value: unknown): unknown {
  if (typeof value === 'string') return maskJson(value) ?? maskPlain(value);
  if (Array.isArray(value)) return value.map(maskValue);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskValue(v)]));
  return value;
}

/** `scheme://user:…@` → `scheme://user:***@`, the password running to the last `@` of its URL. */
function maskUserinfo(text: string): string {
  let out = '';
  let from = 0;
  const starts = [...text.matchAll(USERINFO_START)];
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i]!;
    const passwordAt = start.index + start[0].length;
    if (passwordAt <= from) continue;
    const end = Math.min(starts[i + 1]?.index ?? text.length, lineEnd(text, passwordAt));
    const at = text.lastIndexOf('@', end - 1);
    if (at < passwordAt) continue;
    out += text.slice(from, passwordAt) + MASKED_PASSWORD;
    from = at;
  }
  return out + text.slice(from);
}

/** Where the line a password may run in ends. */
function lineEnd(text: string, from: number): number {
  const match = /[\r\n]/.exec(text.slice(from));
  return match ? from + match.index : text.length;
}

function maskBareUserinfo(text: string): string {
  return text.replace(BARE_USERINFO, (match, before: string, user: string) => (match.includes(`:${MASKED_PASSWORD}@`) ? match : `${before}${user}:${MASKED_PASSWORD}@`));
}

/** The value after each password key: quoted to its closing quote, else to the next space, `&` or string end. */
function maskPasswordValues(text: string): string {
  let out = '';
  let from = 0;
  const keys = [...text.matchAll(PASSWORD_KEY)];
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]!;
    const valueAt = key.index + key[0].length;
    if (valueAt <= from) continue;
    let end: number;
    let masked: string;
    if (text[valueAt] === "'") {
      // To the last quote before the next password key or the line's end: an escaped quote (`\'`, or
      // `\\'` once the text was escaped again, say as JSON) is no end, and more masked is nothing lost.
      const limit = Math.min(keys[k + 1]?.index ?? text.length, lineEnd(text, valueAt));
      const last = text.lastIndexOf("'", limit - 1);
      end = last > valueAt ? last : limit;
      masked = `'${MASKED_PASSWORD}`;
    } else {
      // In a URL query the value ends at `&` or `#`; in a key=value string only a space ends it.
      const stop = /[?&;]/.test(text[key.index - 1] ?? '') ? /[\s&#]/ : /\s/;
      end = valueAt;
      while (end < text.length && !stop.test(text[end]!)) end += text[end] === '\\' ? 2 : 1;
      end = Math.min(end, text.length);
      masked = MASKED_PASSWORD;
    }
    out += text.slice(from, valueAt) + masked;
    from = end;
  }
  return out + text.slice(from);
}
