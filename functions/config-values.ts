/**
 * Reading the environment: trimmed values (the core's readEnv), parsed by the core's parsers (the action
 * and the CLI use the same ones), their errors as ConfigErrors, and settings read once per container.
 */
import { parseChoice, parseWholeNumber, ValidationError, type WholeNumberRule } from '../src/fetch.js';

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

/** One of `allowed` (the core's parseChoice), or `fallback` when unset or blank. */
export function readChoice<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  return fromCore(() => parseChoice(env[name] ?? '', name, allowed, fallback));
}

/** A whole number within `rule` (the core's parseWholeNumber), or `fallback` when unset or blank. */
export function readInteger(env: Env, name: string, fallback: number, rule: WholeNumberRule): number {
  return fromCore(() => parseWholeNumber(env[name] ?? '', name, rule, fallback));
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
