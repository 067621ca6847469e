/**
 * Bytes of the text PostgreSQL prints for `json::jsonb` (what the relay reads back with
 * `payload::text`), given compact JSON text such as `JSON.stringify` returns.
 *
 * jsonb output puts a space after every structural `:` and `,`; it also sorts keys and drops
 * duplicate keys, which never makes the text longer. So the printed size is the compact size plus
 * one byte per `:` and `,` outside strings, found in one pass that tracks string state and escapes.
 *
 * @example
 * ```ts
 * jsonbTextLength('{"a":[1,2]}'); // 13: PostgreSQL prints {"a": [1, 2]}
 * ```
 */
export function jsonbTextLength(compactJson: string): number {
  let separators = 0;
  let inString = false;
  for (let i = 0; i < compactJson.length; i++) {
    const c = compactJson.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++; // the escaped character cannot end the string
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === COLON || c === COMMA) {
      separators++;
    }
  }
  return Buffer.byteLength(compactJson, 'utf8') + separators;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
