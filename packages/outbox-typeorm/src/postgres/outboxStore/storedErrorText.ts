/** Longest `last_error` we store; the rest of a stack trace helps nobody reading the dead-letter list. */
export const MAX_ERROR_LENGTH = 4000;

/**
 * Error text as it can be stored: PostgreSQL `text` refuses NUL characters (a broker error may
 * echo binary input), and a huge message would bloat every row it lands on.
 */
export function storedErrorText(error: string): string {
  const text = String(error).replaceAll('\u0000', '\uFFFD');
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}
