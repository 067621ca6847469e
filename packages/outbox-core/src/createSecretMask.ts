import { connectionPasswords } from './connectionPasswords.js';
import { MASKED_PASSWORD, maskUrlPasswords } from './maskUrlPasswords.js';

/** A password this short is masked only where it stands as a password (a URL's userinfo, `password=`). */
const MIN_KNOWN_SECRET_LENGTH = 4;

/**
 * The one mask for everything a process prints: every password of the given connection strings is
 * replaced with `***` wherever it appears and however it is written there (as is, percent-encoded as a
 * URL writes it, escaped as JSON or a libpq quoted value writes it), then {@link maskUrlPasswords}
 * masks what it can find of passwords it was not told. A password of fewer than 4 characters is
 * masked by the second step only (replacing every `abc` of a log is no mask but noise).
 *
 * @example
 * ```ts
 * const mask = createSecretMask([process.env.DATABASE_URL]);
 * console.error(mask(String(error.stack ?? error)));
 * ```
 */
export function createSecretMask(connectionStrings: ReadonlyArray<string | undefined>): (text: string) => string {
  const forms = new Set<string>();
  for (const connectionString of connectionStrings) {
    if (!connectionString) continue;
    for (const password of connectionPasswords(connectionString)) {
      if (password.length < MIN_KNOWN_SECRET_LENGTH) continue;
      for (const form of writtenForms(password)) forms.add(form);
    }
  }
  // Longest first, so a form that contains another is replaced whole.
  const known = [...forms].filter((f) => f.length >= MIN_KNOWN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const form of known) if (out.includes(form)) out = out.split(form).join(MASKED_PASSWORD);
    return maskUrlPasswords(out);
  };
}

/** How a password may be written into a line: as is, URL-encoded, libpq-quoted, each as JSON, and as JSON in JSON. */
function writtenForms(password: string): string[] {
  const url = new URL('postgres://u@h');
  url.password = password;
  const json = (form: string) => JSON.stringify(form).slice(1, -1);
  const base = [password, encodeURIComponent(password), url.password, password.replace(/\\/g, '\\\\').replace(/'/g, "\\'")];
  return [...base, ...base.map(json), ...base.map((form) => json(json(form)))];
}
