import { InvalidOptionError } from '../errors.js';

/*
 * The options kit: one place for the checks every constructor, `handleOnce` and the `outbox-relay` CLI
 * run on their options, and one wording of what each expects ("an integer from 1 to 10000",
 * "a whole number of ms >= 0", "true or false"). Each check throws `InvalidOptionError` naming the
 * option; the CLI turns that into a message naming the environment variable.
 */

/** Inclusive bounds of a numeric option; a missing bound is open. */
export interface OptionRange {
  min?: number;
  max?: number;
}

/** What a numeric option holds: any finite number, a whole number, or a whole number of milliseconds. */
export type NumericKind = 'number' | 'integer' | 'duration';

const NOUN: Record<NumericKind, string> = { number: 'a number', integer: 'an integer', duration: 'a whole number of ms' };

/** The one wording of what a numeric option expects, e.g. "an integer from 1 to 10000". */
export function expectedText(kind: NumericKind, range: OptionRange = {}): string {
  const { min, max } = range;
  if (min !== undefined && max !== undefined) return `${NOUN[kind]} from ${min} to ${max}`;
  if (min !== undefined) return `${NOUN[kind]} >= ${min}`;
  if (max !== undefined) return `${NOUN[kind]} <= ${max}`;
  return NOUN[kind];
}

/** Whether `value` is a number of `kind` within `range`. */
export function isInRange(kind: NumericKind, value: unknown, range: OptionRange = {}): value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  if (kind !== 'number' && !Number.isSafeInteger(value)) return false;
  return !(range.min !== undefined && value < range.min) && !(range.max !== undefined && value > range.max);
}

/** @throws InvalidOptionError unless `value` is a number within `range`. */
export function checkNumber(option: string, value: unknown, range: OptionRange = {}): number {
  return checkNumeric('number', option, value, range);
}

/** @throws InvalidOptionError unless `value` is an integer within `range`. */
export function checkInteger(option: string, value: unknown, range: OptionRange = {}): number {
  return checkNumeric('integer', option, value, range);
}

/** @throws InvalidOptionError unless `value` is a whole number of milliseconds within `range` (default: `>= 0`). */
export function checkDuration(option: string, value: unknown, range: OptionRange = { min: 0 }): number {
  return checkNumeric('duration', option, value, range);
}

/** @throws InvalidOptionError unless `value` is `true` or `false`. */
export function checkBoolean(option: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new InvalidOptionError(option, 'true or false', value);
  return value;
}

function checkNumeric(kind: NumericKind, option: string, value: unknown, range: OptionRange): number {
  if (!isInRange(kind, value, range)) throw new InvalidOptionError(option, expectedText(kind, range), value);
  return value;
}
