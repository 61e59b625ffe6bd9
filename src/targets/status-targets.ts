/**
 * The targets of a status check, from every source an adapter has (the action's region and domain, the
 * CLI's arguments, --region and --domain), each parsed under its own name so an error names the input
 * at fault. Without any: the environment's (when the adapter reads one, by targetsFromEnv's
 * precedence), else the default host with its warning.
 */
import { type EnvVariables, targetsFromEnv } from '../config/environment.js';
import { ValidationError } from '../errors.js';
import type { Logger, Target } from '../types.js';
import { parseAllowHttp } from './plain-http.js';
import { parseDomain, parseTargets, REGION_LIST, resolveTarget, uniqueTargets } from './targets.js';

export interface TargetSource {
  /** A list (`eu, us`, `all`, domains), or its parts; unset, blank or no parts: not given. */
  text: string | readonly string[] | undefined;
  /** The name errors give it. */
  input: string;
  /** `regions`: regions or `all` only (a domain has its own input); `domain`: one custom domain. */
  only?: 'regions' | 'domain';
}

export interface StatusTargetOptions {
  /** Plain http to a private host (src/targets/plain-http.ts); with `env`, OTS_ALLOW_HTTP=true too. */
  allowHttp?: boolean;
  /** Read when no source is given. */
  env?: EnvVariables;
  logger?: Logger;
}

/** Each target once (by origin), in the order the sources give them. Throws ValidationError naming the input. */
export function resolveStatusTargets(
  sources: readonly TargetSource[],
  options: StatusTargetOptions = {},
): Target[] {
  const allowHttp =
    options.allowHttp === true ||
    (options.env !== undefined && parseAllowHttp(options.env.OTS_ALLOW_HTTP, 'OTS_ALLOW_HTTP'));
  const given = sources.filter(({ text }) => (typeof text === 'string' ? text.trim() !== '' : text?.length));
  if (given.length === 0) {
    const fromEnv = options.env === undefined ? undefined : targetsFromEnv(options.env, { allowHttp });
    return fromEnv ?? [resolveTarget({ logger: options.logger })];
  }
  return uniqueTargets(given.flatMap((source) => targetsOf(source, allowHttp)));
}

function targetsOf({ text = '', input, only }: TargetSource, allowHttp: boolean): Target[] {
  const list = typeof text === 'string' ? text : text.join(',');
  if (only === 'domain') return [parseDomain(list, input, { allowHttp })];
  if (only === 'regions') return regionsOf(list, input);
  return parseTargets(list, { inputName: input, allowHttp });
}

/** Regions or `all`: a domain listed here is refused, pointing at the domain input. */
function regionsOf(text: string, input: string): Target[] {
  let targets: Target[];
  try {
    targets = parseTargets(text, { inputName: input });
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw new ValidationError(`${error.message} For status, ${input} may also be a list of them, or all.`, {
      input,
    });
  }
  const other = targets.find((target) => target.kind !== 'region');
  if (other === undefined) return targets;
  throw new ValidationError(
    `${input} lists ${other.name}, which is not a region: use ${REGION_LIST} or all, and put a custom ` +
      'domain in the domain input.',
    { input },
  );
}
