/**
 * Parsers for values the adapters read from their platforms (an action input, a CLI flag, an
 * environment variable). Each takes the text and the name the user knows the input by, and returns a
 * typed value or a ValidationError that names the input, says what was wrong and what is allowed.
 * Adapters turn that error into their own kind (InputError, UsageError, ConfigError).
 */
import { ValidationError } from '../errors.js';

export interface SecondsRule {
  /** The largest accepted number of seconds. */
  max: number;
}

/** Plain decimal notation only: `Number()` would also take `0x10`, `1e1`, `Infinity` or `.5`. */
const DECIMAL = /^\d{1,9}(\.\d{1,9})?$/;

/**
 * A number of seconds (`10`, `2.5`, `0.001`) as whole milliseconds. The one rounding rule: up, so a
 * timeout is never shorter than asked and any accepted value is at least 1 ms. Empty text gives
 * `fallbackMs` when there is one (as parseChoice's fallback).
 */
export function parseSecondsAsMs(
  text: string,
  inputName: string,
  rule: SecondsRule,
  fallbackMs?: number,
): number {
  const value = text.trim();
  if (value === '' && fallbackMs !== undefined) return fallbackMs;
  const seconds = DECIMAL.test(value) ? Number(value) : Number.NaN;
  // Microseconds first, so 1.001 s is 1001 ms and not 1000.9999999999999 rounded up to 1002.
  if (seconds > 0 && seconds <= rule.max) return Math.max(1, Math.ceil(Math.round(seconds * 1e6) / 1000));
  // The value is not echoed: it may be a secret typed in the wrong place.
  const problem = value === '' ? 'is empty' : 'is not valid';
  throw new ValidationError(
    `${inputName} ${problem}: give a number of seconds greater than 0 and at most ${rule.max}, ` +
      'in plain decimals (10 or 2.5).',
    { input: inputName },
  );
}

/**
 * One of `allowed`, in any case. Empty text gives `fallback` when there is one; without one, empty is
 * an error too.
 */
export function parseChoice<T extends string>(
  text: string,
  inputName: string,
  allowed: readonly T[],
  fallback?: T,
): T {
  const value = text.trim().toLowerCase();
  if (value === '' && fallback !== undefined) return fallback;
  const match = allowed.find((choice) => choice === value);
  if (match !== undefined) return match;
  // The value is not echoed: a word in the wrong place may be a passphrase; the allowed ones suffice.
  const problem = value === '' ? 'is empty' : 'is not allowed';
  throw new ValidationError(`${inputName} ${problem}: use one of ${allowed.join(', ')}.`, {
    input: inputName,
  });
}

/**
 * A list of choices separated by commas or spaces (`github, slack`), each kept once, in the order
 * given. An entry is named by its position, not echoed: the list may hold something pasted by mistake.
 */
export function parseChoiceList<T extends string>(
  text: string,
  inputName: string,
  allowed: readonly T[],
): T[] {
  const choices: T[] = [];
  for (const [index, entry] of text
    .trim()
    .toLowerCase()
    .split(/[\s,]+/)
    .filter(Boolean)
    .entries()) {
    const match = allowed.find((choice) => choice === entry);
    if (match === undefined) {
      throw new ValidationError(
        `${inputName} entry ${index + 1} is not allowed: use a list of ${allowed.join(', ')}.`,
        { input: inputName },
      );
    }
    if (!choices.includes(match)) choices.push(match);
  }
  return choices;
}

export interface WholeNumberRule {
  min: number;
  max: number;
  /** What is counted (`milliseconds`, `days`), for the message. */
  unit: string;
  /** Why the maximum is what it is (it may depend on other inputs), appended to the message. */
  why?: string;
}

/** A whole number in plain digits within `min` and `max`; empty text gives `fallback` when there is one. */
export function parseWholeNumber(
  text: string,
  inputName: string,
  rule: WholeNumberRule,
  fallback?: number,
): number {
  const value = text.trim();
  if (value === '' && fallback !== undefined) return fallback;
  const number = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (Number.isSafeInteger(number) && number >= rule.min && number <= rule.max) return number;
  // Plain digits are echoed (a number is no secret); anything else may be a value in the wrong place.
  const got = /^\d{1,20}$/.test(value) ? ` (got "${value}")` : '';
  const why = rule.why === undefined ? '' : `: ${rule.why}`;
  throw new ValidationError(
    `${inputName} must be a whole number of ${rule.unit} from ${rule.min} to ${rule.max}${got}${why}.`,
    { input: inputName },
  );
}

/** `true` or `false` in any case; empty (or unset) is `false`. */
export function parseBoolean(text: string | undefined, inputName: string): boolean {
  const value = (text ?? '').trim().toLowerCase();
  if (value === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw new ValidationError(`${inputName} must be true or false.`, { input: inputName });
}
