/**
 * The passwords a PostgreSQL connection string carries, read as libpq and node-postgres read them:
 * - a URL (`postgres://user:PASSWORD@host/db?password=…&sslpassword=…`): the userinfo's password as
 *   written and decoded (an unencoded `@`, `/`, `#` or space in it included: it runs to the last `@`), and
 *   the `password` / `sslpassword` query values;
 * - a key=value string (`host=db password='it\'s' sslpassword=…`): the values of those keys, quoted
 *   (`\'` and `\\` escapes) or not.
 *
 * Returns each password as the string itself (empty ones left out); several readings of one string may
 * give several (a URL that WHATWG parses differently from the last-`@` rule gives both).
 */
export function connectionPasswords(connectionString: string): string[] {
  const found = new Set<string>();
  const add = (value: string | undefined) => {
    if (value === undefined || value === '') return;
    found.add(value);
    const decoded = safeDecode(value);
    if (decoded !== undefined && decoded !== '') found.add(decoded);
  };
  const trimmed = connectionString.trim();
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(trimmed);
  if (scheme) {
    const rest = trimmed.slice(scheme[0].length);
    const at = rest.lastIndexOf('@');
    if (at >= 0) {
      const userinfo = rest.slice(0, at);
      const colon = userinfo.indexOf(':');
      if (colon >= 0) add(userinfo.slice(colon + 1));
    }
    try {
      const url = new URL(trimmed);
      add(url.password);
      for (const key of ['password', 'sslpassword']) for (const v of url.searchParams.getAll(key)) add(v);
    } catch {
      // Not WHATWG-parsable: the last-`@` reading above and the query reading below still apply.
    }
    const query = trimmed.indexOf('?');
    if (query >= 0) for (const pair of trimmed.slice(query + 1).split('&')) {
      const [key, ...value] = pair.split('=');
      if (key === 'password' || key === 'sslpassword') add(value.join('='));
    }
    return [...found];
  }
  for (const [key, value] of keywordValues(trimmed)) if (key === 'password' || key === 'sslpassword') add(value);
  return [...found].filter((p) => p !== '');
}

/** libpq's conninfo grammar: `key = value` pairs, a value quoted with `'` (backslash escapes) or up to a space. */
function keywordValues(text: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  let i = 0;
  const skipSpaces = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  while (i < text.length) {
    skipSpaces();
    const keyStart = i;
    while (i < text.length && text[i] !== '=' && !/\s/.test(text[i]!)) i++;
    const key = text.slice(keyStart, i);
    skipSpaces();
    if (text[i] !== '=') break;
    i++;
    skipSpaces();
    let value = '';
    if (text[i] === "'") {
      i++;
      while (i < text.length && text[i] !== "'") {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        value += text[i];
        i++;
      }
      i++;
    } else {
      while (i < text.length && !/\s/.test(text[i]!)) {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        value += text[i];
        i++;
      }
    }
    pairs.push([key, value]);
  }
  return pairs;
}

function safeDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}
