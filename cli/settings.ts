/**
 * Where a call goes and as whom: flags first, then the environment (settingsFromEnv reads OTS_* with the
 * ONETIME_* fallbacks). A target given by flag replaces the environment's whole, so `--region eu` is
 * never overridden by an OTS_DOMAIN left in the shell.
 */
import {
  type ClientOptions,
  checkVersionCredentials,
  credentialSecrets,
  type EnvSettings,
  type KeyArgument,
  type Logger,
  resolveCredentials,
  resolveKeyTarget,
  resolveStatusTargets,
  settingsFromEnv,
  type Target,
} from '../src/index.js';
import type { Flags } from './flags.js';
import type { Redactor } from './redact.js';
import { UsageError } from './usage-error.js';

type Env = Record<string, string | undefined>;

/** With a key argument, a link to a region is called there when no target is configured (resolveKeyTarget). */
export function clientOptions(
  flags: Flags,
  env: Env,
  logger: Logger,
  redactor: Redactor,
  keyArgument?: KeyArgument,
): ClientOptions {
  const settings = accountSettings(flags, env, redactor);
  const byFlag = flags.region !== undefined || flags.domain !== undefined;
  const { region, domain } = byFlag ? flags : settings;
  return {
    target: resolveKeyTarget(keyArgument, { region, domain, logger, allowHttp: settings.allowHttp }),
    username: settings.username,
    token: settings.token,
    apiVersion: flags.apiVersion,
    timeoutMs: flags.timeoutMs,
    logger,
  };
}

/**
 * Status targets: the arguments (and --region, which may be a list or `all`), plus --domain as one more;
 * without any, the environment's by the core's precedence, else the default host (with its warning).
 */
export function statusTargets(positionals: string[], flags: Flags, env: Env, logger: Logger): Target[] {
  const sources = [
    { text: positionals, input: 'targets' },
    { text: flags.region, input: 'region' },
    { text: flags.domain, input: 'domain', only: 'domain' },
  ] as const;
  return resolveStatusTargets(sources, { env, allowHttp: flags.allowHttp, logger });
}

/**
 * The environment's settings, its token and the Basic value built from it registered (so neither can
 * reach stderr or a --json error), and `--api-version v3` with an account refused before any request.
 */
export function accountSettings(flags: Flags, env: Env, redactor: Redactor): EnvSettings {
  const settings = settingsFromEnv(env, { allowHttp: flags.allowHttp });
  redactor.add(...credentialSecrets(settings.username, settings.token));
  try {
    checkVersionCredentials(flags.apiVersion, resolveCredentials(settings), '--api-version');
  } catch (error) {
    throw new UsageError(
      `${(error as Error).message} (the credentials come from OTS_USERNAME/OTS_TOKEN or ONETIME_CUSTID/ONETIME_APIKEY)`,
    );
  }
  return settings;
}
