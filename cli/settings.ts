/**
 * Where a call goes and as whom: flags first, then the environment (settingsFromEnv reads OTS_* with the
 * ONETIME_* fallbacks). A target given by flag replaces the environment's whole, so `--region eu` is
 * never overridden by an OTS_DOMAIN left in the shell.
 */
import {
  basicAuthorization,
  type ClientOptions,
  checkVersionCredentials,
  defaultTarget,
  type LinkKind,
  type Logger,
  parseTargets,
  type Region,
  resolveLink,
  resolveTarget,
  settingsFromEnv,
  type Target,
  targetsFromEnv,
  uniqueTargets,
} from '../src/index.js';
import type { Flags } from './flags.js';
import type { Redactor } from './redact.js';
import { UsageError } from './usage-error.js';

type Env = Record<string, string | undefined>;

/** The key or link a command was given, and which kind it must be. */
export interface KeyArgument {
  key: string;
  kind: LinkKind;
}

export function clientOptions(
  flags: Flags,
  env: Env,
  logger: Logger,
  redactor: Redactor,
  keyArgument?: KeyArgument,
): ClientOptions {
  const settings = settingsFromEnv(env, { allowHttp: flags.allowHttp });
  registerCredentials(settings.username, settings.token, redactor);
  checkCliVersion(flags, settings);
  const byFlag = flags.region !== undefined || flags.domain !== undefined;
  const region = byFlag ? flags.region : settings.region;
  const domain = byFlag ? flags.domain : settings.domain;
  const unset = region === undefined && domain === undefined;
  return {
    region: unset && keyArgument ? regionOfLink(keyArgument) : region,
    domain,
    username: settings.username,
    token: settings.token,
    apiVersion: flags.apiVersion,
    timeoutMs: flags.timeoutMs,
    logger,
    allowHttp: settings.allowHttp,
  };
}

/**
 * Status targets: the arguments (and --region, which may be a list or `all`), plus --domain as one more;
 * without any, the environment's by the core's precedence (OTS_TARGETS plus OTS_DOMAIN, else OTS_REGION
 * and/or OTS_DOMAIN, else ONETIME_HOST); without those, the default host (with its warning).
 */
export function statusTargets(positionals: string[], flags: Flags, env: Env, logger: Logger): Target[] {
  const settings = settingsFromEnv(env, { allowHttp: flags.allowHttp });
  const { allowHttp } = settings;
  if (positionals.length > 0 || flags.region !== undefined || flags.domain !== undefined) {
    // Each source parsed under its own name, so an error names the input at fault (`region "xx"`).
    const given = positionals.length > 0 ? parseTargets(positionals, { allowHttp }) : [];
    const regions =
      flags.region === undefined ? [] : parseTargets(flags.region, { inputName: 'region', allowHttp });
    const domain =
      flags.domain === undefined
        ? []
        : parseTargets([], { domain: flags.domain, inputName: 'domain', allowHttp });
    return uniqueTargets([...given, ...regions, ...domain]);
  }
  return targetsFromEnv(env, { allowHttp }) ?? [resolveTarget({ logger })];
}

/**
 * With no target configured, a link to a region is called on that region anyway (the core's link rule);
 * naming it here spares the user the default-host warning, which would not apply. Anything else, a
 * custom domain included, is left to the core to accept or refuse.
 */
function regionOfLink({ key, kind }: KeyArgument): Region | undefined {
  if (!key.includes('/')) return undefined;
  try {
    const { target } = resolveLink(key, defaultTarget(), kind);
    return target.kind === 'region' ? (target.name as Region) : undefined;
  } catch {
    return undefined;
  }
}

/** The token and the Basic value built from it, so neither can reach stderr or a --json error. */
export function registerCredentials(
  username: string | undefined,
  token: string | undefined,
  redactor: Redactor,
): void {
  redactor.add(token);
  if (username !== undefined && token !== undefined) {
    // The core's own function, so the value redacted is exactly the one sent.
    const header = basicAuthorization({ username, token });
    redactor.add(header, header.slice('Basic '.length));
  }
}

/** `--api-version v3` with OTS_USERNAME/OTS_TOKEN set: a usage error before any request. */
export function checkCliVersion(flags: Flags, settings: { username?: string; token?: string }): void {
  if (flags.apiVersion === undefined || settings.username === undefined || settings.token === undefined)
    return;
  try {
    checkVersionCredentials(
      flags.apiVersion,
      { username: settings.username, token: settings.token },
      '--api-version',
    );
  } catch (error) {
    throw new UsageError(
      `${(error as Error).message} (the credentials come from OTS_USERNAME/OTS_TOKEN or ONETIME_CUSTID/ONETIME_APIKEY)`,
    );
  }
}
