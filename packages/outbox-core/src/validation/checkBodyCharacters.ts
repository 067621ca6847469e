import { UnpublishableCharacterError } from '../errors.js';
import { codePointName, firstRefusedCharacter } from './publishableText.js';

/**
 * Checks the body's JSON text against the characters SNS/SQS accept. JSON escapes control characters
 * (`\u0001`) and PostgreSQL's jsonb prints them escaped again, so in practice what is left to refuse is
 * U+FFFE and U+FFFF inside a string or key (U+0000 and unpaired surrogates are refused earlier by
 * `serializeBody`: jsonb cannot store them).
 *
 * @throws UnpublishableCharacterError naming the character and its offset in the JSON text.
 */
export function checkBodyCharacters(payload: string, subject: string): void {
  const refused = firstRefusedCharacter(payload);
  if (refused === undefined) return;
  const at = payload.indexOf(String.fromCodePoint(refused));
  throw new UnpublishableCharacterError(
    'body',
    refused,
    `Message body holds ${codePointName(refused)} (at character ${at} of its JSON text), which SNS and SQS refuse. ` +
      'Remove it or encode the value (e.g. base64) before sending.',
    { subject },
  );
}
