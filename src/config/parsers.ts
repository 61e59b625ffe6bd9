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
 * timeout is never shorter than asked and any accepted value is at least 1 ms.
 */
export function parseSecondsAsMs(text: string, inputName: string, rule: SecondsRule): number {
  const value = text.trim();
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
