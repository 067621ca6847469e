/**
 * Bytes of the text PostgreSQL prints for `json::jsonb` (what the relay reads back with
 * `payload::text`), given compact JSON text such as `JSON.stringify` returns.
 *
 * jsonb output puts a space after every structural `:` and `,`; it also sorts keys and drops
 * duplicate keys, which never makes the text longer. So the printed size is the compact size plus
 * one byte per `:` and `,` outside strings, found in one pass that tracks string state and escapes.
 * Numbers are stored as `numeric` and printed without an exponent: `1e+21` comes back as 22 digits.
 *
 * @example
 * ```ts
 * jsonbTextLength('{"a":[1,2]}'); // 13: PostgreSQL prints {"a": [1, 2]}
 * ```
 */
export function jsonbTextLength(compactJson: string): number {
  let separators = 0;
  let exponentGrowth = 0;
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
    } else if (c === LOWER_E || c === UPPER_E) {
      // Outside strings an e is either in true/false or a number's exponent: only the latter has a digit before it.
      const prev = compactJson.charCodeAt(i - 1);
      if (prev >= 0x30 && prev <= 0x39) {
        const start = numberStart(compactJson, i);
        let end = i + 1;
        while (end < compactJson.length && /[0-9+-]/.test(compactJson[end]!)) end++;
        const token = compactJson.slice(start, end);
        exponentGrowth += plainDecimalLength(token) - token.length;
        i = end - 1;
      }
    }
  }
  return Buffer.byteLength(compactJson, 'utf8') + separators + exponentGrowth;
}

function numberStart(text: string, e: number): number {
  let start = e;
  while (start > 0 && /[0-9.-]/.test(text[start - 1]!)) start--;
  return start;
}

/** Length of a number written `[-]d[.ddd]e[+-]n` once printed as a plain decimal, as `numeric` prints it. */
function plainDecimalLength(token: string): number {
  const [mantissa, exponentText] = token.toLowerCase().split('e') as [string, string];
  const sign = mantissa.startsWith('-') ? 1 : 0;
  const [whole, fraction = ''] = mantissa.replace('-', '').split('.') as [string, string?];
  const digits = (whole + fraction).replace(/^0+(?=\d)/, '');
  const shift = Number(exponentText) - fraction.length; // value = digits × 10^shift
  if (shift >= 0) return sign + digits.length + shift;
  const point = -shift; // digits after the decimal point
  return sign + (point < digits.length ? digits.length + 1 : 2 + point);
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const LOWER_E = 0x65;
const UPPER_E = 0x45;
