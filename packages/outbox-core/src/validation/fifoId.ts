import { codePointName } from './publishableText.js';

/** Longest `MessageGroupId` / `MessageDeduplicationId` SNS and SQS accept. */
export const MAX_FIFO_ID_LENGTH = 128;

/**
 * What SNS and SQS accept in a FIFO `MessageGroupId` or `MessageDeduplicationId`: letters and digits
 * (ASCII) and the punctuation !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~. No space, nothing outside ASCII.
 */
const FIFO_ID_CHAR = /[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/;

/**
 * Why `value` cannot be a FIFO group or deduplication id, or undefined when it can.
 * The reason reads after the field's name: `groupKey ${reason}`.
 */
export function fifoIdProblem(value: string): string | undefined {
  if (value.length === 0) return 'is empty';
  if (value.length > MAX_FIFO_ID_LENGTH) return `is ${value.length} characters long`;
  for (const char of value) {
    if (!FIFO_ID_CHAR.test(char)) return `holds ${char === ' ' ? 'a space' : codePointName(char.codePointAt(0)!)}`;
  }
  return undefined;
}

/** The rule as error messages state it. */
export const FIFO_ID_RULE =
  `1 to ${MAX_FIFO_ID_LENGTH} characters, each an ASCII letter, a digit or one of !"#$%&'()*+,-./:;<=>?@[\\]^_\`{|}~ ` +
  '(the SNS/SQS rule for MessageGroupId and MessageDeduplicationId)';
