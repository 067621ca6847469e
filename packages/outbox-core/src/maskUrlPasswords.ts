/** What a masked password reads as. */
export const MASKED_PASSWORD = '***';

// scheme://user:password@host — greedy up to the last `@` of the token, since an unencoded `@` in a
// password is common (`postgres://app:p@ss@db/app`) and over-masking leaks nothing.
const URL_USERINFO = /([a-z][a-z0-9+.-]*:\/\/[^\s:@/"'<>]*):[^\s"'<>]*@/gi;
// user:password@host without a scheme (someone forgot `postgres://`): at the start or after a separator.
const BARE_USERINFO = /(^|[\s"'(=,])([\w.%+-]+):[^\s"'<>@/]+@/g;
// ?password=… / &sslpassword=… in a query string (libpq accepts both in a URL).
const QUERY_PASSWORD = /([?&;](?:ssl)?pass(?:word)?=)[^&\s"'#;]*/gi;

/**
 * Replaces every password in URLs inside `text` with `***`: `postgres://app:secret@db/app` becomes
 * `postgres://app:***@db/app`, and `?password=secret` becomes `?password=***`. Works on any text (an
 * error message, a log line, a whole config dump), on URLs that do not parse (a bad port, a wrong
 * scheme) and on JSON. Every output of the outbox-relay sidecar (errors, logs, `--help`, `status`)
 * goes through it; loggers of your own can use it too.
 *
 * @example
 * ```ts
 * maskUrlPasswords('cannot connect to postgres://app:s3cret@db:5432/app'); // 'cannot connect to postgres://app:***@db:5432/app'
 * ```
 */
export function maskUrlPasswords(text: string): string {
  return text
    .replace(URL_USERINFO, `$1:${MASKED_PASSWORD}@`)
    .replace(BARE_USERINFO, `$1$2:${MASKED_PASSWORD}@`)
    .replace(QUERY_PASSWORD, `$1${MASKED_PASSWORD}`);
}
