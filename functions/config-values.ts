/** Reading single values from the environment: trimmed strings and whole numbers within a range. */
import { readEnv, ValidationError } from '../src/fetch.js';

/** The trimmed value, or undefined when unset or blank: the core's reader, under the functions' short name. */
export { readEnv as read };

export type Env = Readonly<Record<string, string | undefined>>;

/** A configuration problem. The message names the variable and never carries a secret. */
export class ConfigError extends Error {
  readonly variable: string;

  /** Ours: the variable, then what is wrong with it. */
  constructor(variable: string, problem: string);
  /** The core's: its message names its input (the variable) already, and is kept as it is. */
  constructor(error: ValidationError & { input: string });
  constructor(source: string | (ValidationError & { input: string }), problem = '') {
    super(typeof source === 'string' ? `${source} ${problem}` : source.message);
    this.name = 'ConfigError';
    this.variable = typeof source === 'string' ? source : source.input;
  }
}

/** Runs a core parser on environment values: its ValidationError, which names the variable, becomes a ConfigError. */
export function fromCore<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof ValidationError) || error.input === undefined) throw error;
    throw new ConfigError(error as ValidationError & { input: string });
  }
}

export interface IntegerRange {
  min: number;
  max: number;
  /** Why the maximum is what it is, appended to the message (it may depend on other variables). */
  why?: string;
}

/** A whole number within `range`; the message names the variable, the range and the value given. */
export function readInteger(env: Env, name: string, fallback: number, range: IntegerRange): number {
  const value = readEnv(env, name);
  if (value === undefined) return fallback;
  const number = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(number) || number < range.min || number > range.max) {
    const why = range.why === undefined ? '' : `: ${range.why}`;
    throw new ConfigError(
      name,
      `must be a whole number from ${range.min} to ${range.max} (got "${value.slice(0, 20)}")${why}.`,
    );
  }
  return number;
}
