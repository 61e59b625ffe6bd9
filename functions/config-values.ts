/** Reading single values from the environment: trimmed strings and whole numbers within a range. */

export type Env = Readonly<Record<string, string | undefined>>;

/** A configuration problem. The message names the variable and never carries a secret. */
export class ConfigError extends Error {
  readonly variable: string;

  constructor(variable: string, problem: string) {
    super(`${variable} ${problem}`);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}

/** The trimmed value, or undefined when unset or blank (an empty osls parameter means "not set"). */
export function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

export interface IntegerRange {
  min: number;
  max: number;
  /** Why the maximum is what it is, appended to the message (it may depend on other variables). */
  why?: string;
}

/** A whole number within `range`; the message names the variable, the range and the value given. */
export function readInteger(env: Env, name: string, fallback: number, range: IntegerRange): number {
  const value = read(env, name);
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
