/**
 * Reading the environment: trimmed values, parsed by the core's parsers (the action and the CLI use the
 * same ones), their errors as ConfigErrors, and settings read once per container.
 */
import { parseWholeNumber, ValidationError, type WholeNumberRule } from '../src/fetch.js';

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

/** The variable parsed by a core parser, or `fallback` when it is unset. */
export function readParsed<T>(
  env: Env,
  name: string,
  fallback: T,
  parse: (text: string, name: string) => T,
): T {
  const value = read(env, name);
  return value === undefined ? fallback : asConfigError(() => parse(value, name));
}

/** A whole number within `rule` (the core's parseWholeNumber), or `fallback` when unset. */
export function readInteger(env: Env, name: string, fallback: number, rule: WholeNumberRule): number {
  return readParsed(env, name, fallback, (text) => parseWholeNumber(text, name, rule));
}

/** The core's ValidationError names its input first (`OTS_REGION "x" is not a region: ...`). */
export function asConfigError<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof ValidationError) || error.input === undefined) throw error;
    const problem = error.message.startsWith(error.input)
      ? error.message.slice(error.input.length).trimStart()
      : error.message;
    throw new ConfigError(error.input, problem);
  }
}

/**
 * Settings read from the environment once per container, on first use (not at module load). A
 * ConfigError is remembered, so every invocation of a misconfigured container fails the same clear way
 * instead of half-working.
 */
export function oncePerContainer<T>(readSettings: (env: Env) => T): (env?: Env) => T {
  let loaded: { settings: T } | { error: ConfigError } | undefined;
  return (env = process.env) => {
    if (loaded === undefined) {
      try {
        loaded = { settings: readSettings(env) };
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        loaded = { error };
      }
    }
    if ('error' in loaded) throw loaded.error;
    return loaded.settings;
  };
}
