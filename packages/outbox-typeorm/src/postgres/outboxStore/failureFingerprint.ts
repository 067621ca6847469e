/**
 * How dead letters are grouped by failure: the stored error (`last_error`, `Name: message`) with what
 * differs between two messages that failed the same way replaced by a placeholder, in this order:
 * date-times (`<time>`), uuids (`<uuid>`), an ARN's account id (`<account>`), hex strings of 16 or more
 * digits such as request ids and hashes (`<hex>`), and numbers standing alone, decimals included
 * (`<n>`). Digits that are part of a name (`payments-v2`, `eu-west-1`, `v1.2`) are kept, so two topics,
 * regions or error codes stay two groups. Only the first {@link FINGERPRINT_TEXT_LENGTH} characters count, which keeps the
 * cost per row bounded (a stored error is at most 4,000).
 *
 * The rule runs in SQL (regular expressions of PostgreSQL's ARE dialect): the failure groups are read
 * and a group is selected by the same expression, over the dead index.
 */
export const FINGERPRINT_TEXT_LENGTH = 500;

/** Hex digits of a fingerprint id: the start of the md5 of the normalized text. */
export const FINGERPRINT_ID_LENGTH = 16;

const RULES: ReadonlyArray<readonly [pattern: string, replacement: string]> = [
  [String.raw`\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?`, '<time>'],
  [String.raw`[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}`, '<uuid>'],
  [String.raw`(arn:[a-z0-9-]+:[a-z0-9-]+:[a-z0-9-]*:)\d{12}:`, String.raw`\1<account>:`],
  [String.raw`\m[0-9A-Fa-f]{16,}\M`, '<hex>'],
  [String.raw`(?<![\w.-])\d+(\.\d+)?(?![\w-]|\.\d)`, '<n>'],
];

/** The SQL expression of the normalized error text of `column` (constants only: no parameter). */
export function normalizedErrorSql(column: string): string {
  return RULES.reduce(
    (sql, [pattern, replacement]) => `regexp_replace(${sql}, '${pattern}', '${replacement}', 'g')`,
    `left(coalesce(${column}, ''), ${FINGERPRINT_TEXT_LENGTH})`,
  );
}

/** The SQL expression of the fingerprint id of `column`'s error: {@link FINGERPRINT_ID_LENGTH} hex digits. */
export function fingerprintSql(column: string): string {
  return fingerprintOfNormalizedSql(normalizedErrorSql(column));
}

/** The fingerprint id of an already normalized text (an expression of {@link normalizedErrorSql}). */
export function fingerprintOfNormalizedSql(normalized: string): string {
  return `left(md5(${normalized}), ${FINGERPRINT_ID_LENGTH})`;
}

/** Whether a string has the shape of a fingerprint id. */
export function isFingerprintId(value: unknown): value is string {
  return typeof value === 'string' && new RegExp(`^[0-9a-f]{${FINGERPRINT_ID_LENGTH}}$`).test(value);
}
