/**
 * The characters SNS and SQS accept in a message body and in a String attribute value (the XML 1.0
 * `Char` production, as both services document it): #x9 #xA #xD #x20–#xD7FF #xE000–#xFFFD
 * #x10000–#x10FFFF. Anything else (another control character, U+FFFE, U+FFFF, an unpaired surrogate)
 * makes the broker refuse the entry, which after commit could only dead-letter it.
 */
const REFUSED = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** The code point of the first character SNS/SQS refuse in `text`, or undefined when all are accepted. */
export function firstRefusedCharacter(text: string): number | undefined {
  const match = REFUSED.exec(text);
  return match ? match[0].codePointAt(0) : undefined;
}

/** `U+0007`, `U+FFFF`: how error messages name a character. */
export function codePointName(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}
