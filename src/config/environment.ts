/**
 * Settings from environment variables, for the CLI, the functions and the deploy-time alarms: `OTS_*`
 * first, the official Ruby client's `ONETIME_*` as fallbacks. The one precedence lives here:
 *   targets:     OTS_TARGETS (a list) plus OTS_DOMAIN; else OTS_REGION and/or OTS_DOMAIN; else
 *                ONETIME_HOST (a base URL, its `/api/v1` or `/api/v2` ignored); else the caller's default.
 *   credentials: OTS_USERNAME (else ONETIME_CUSTID) with OTS_TOKEN (else ONETIME_APIKEY), both or neither.
 * Values are checked here so an error names the variable that is wrong.
 */
import { parseAllowHttp } from '../targets/plain-http.js';
import {
  type DomainOptions,
  parseDomain,
  parseRegion,
  parseTargets,
  regionTarget,
  uniqueTargets,
} from '../targets/targets.js';
import type { Region, Target } from '../types.js';
import { type CredentialInput, checkCredentials, type NamedValue } from './credentials.js';

/** The process environment, or any map of variable names to values. */
export type EnvVariables = Readonly<Record<string, string | undefined>>;

/** A variable's trimmed value; `undefined` when unset or blank (an empty osls parameter means "not set"). */
export function readEnv(env: EnvVariables, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

const USERNAME_VARIABLES = ['OTS_USERNAME', 'ONETIME_CUSTID'] as const;
/** Where the token is read from, first choice first (the functions also take an SSM parameter). */
export const TOKEN_VARIABLES = ['OTS_TOKEN', 'ONETIME_APIKEY'] as const;

export interface EnvSettings {
  region?: Region;
  /** The custom domain as an origin (`https://secrets.example.com`). */
  domain?: string;
  username?: string;
  token?: string;
  /** OTS_ALLOW_HTTP=true: plain http to a private host (src/targets/plain-http.ts). */
  allowHttp?: boolean;
}

export interface EnvOptions {
  /** Allow plain http to a private host whatever OTS_ALLOW_HTTP says (the CLI's --allow-http). */
  allowHttp?: boolean;
}

/**
 * Settings for one target, to spread into `createClient` options: OTS_TARGETS (a list) is not read.
 * Throws ValidationError naming a bad variable.
 */
export function settingsFromEnv(env: EnvVariables = process.env, options: EnvOptions = {}): EnvSettings {
  const allowHttp = allowHttpOf(env, options);
  const settings: EnvSettings = {
    ...oneTarget(targetVariables(env, false), allowHttp),
    ...credentialsFromEnv(env),
  };
  if (allowHttp) settings.allowHttp = true;
  return settings;
}

/**
 * The targets the environment names, by the precedence above; `undefined` when it names none, for the
 * caller's own default. Duplicates are kept once. Throws ValidationError naming a bad variable.
 */
export function targetsFromEnv(
  env: EnvVariables = process.env,
  options: EnvOptions = {},
): Target[] | undefined {
  const http = { allowHttp: allowHttpOf(env, options) };
  const variables = targetVariables(env, true);
  if (variables === undefined) return undefined;
  if (variables.kind === 'host') return [parseDomain(variables.host, 'ONETIME_HOST', http)];
  const domain = variables.domain === undefined ? [] : [parseDomain(variables.domain, 'OTS_DOMAIN', http)];
  return uniqueTargets([...listedTargets(variables, http), ...domain]);
}

/** OTS_TARGETS's list, or OTS_REGION's one region: what OTS_DOMAIN is added to. */
function listedTargets(variables: TargetVariables, http: DomainOptions): Target[] {
  if (variables.kind === 'list') return parseTargets(variables.list, { inputName: 'OTS_TARGETS', ...http });
  if (variables.kind !== 'region' || variables.region === undefined) return [];
  return [regionTarget(parseRegion(variables.region, 'OTS_REGION'))];
}

export interface EnvCredentialOptions {
  /**
   * A variable that may stand in for the token: the functions' OTS_TOKEN_PARAMETER names an SSM
   * parameter holding it. It completes the pair; its value is not returned as the token.
   */
  tokenParameter?: string;
}

/** The account, both halves or neither. Throws ValidationError naming the variable missing or malformed. */
export function credentialsFromEnv(
  env: EnvVariables = process.env,
  options: EnvCredentialOptions = {},
): CredentialInput {
  const parameter = options.tokenParameter === undefined ? [] : [options.tokenParameter];
  const tokenNames = [...TOKEN_VARIABLES, ...parameter];
  const token = firstSet(env, tokenNames);
  const credentials = checkCredentials(firstSet(env, USERNAME_VARIABLES), token, {
    username: USERNAME_VARIABLES,
    token: tokenNames,
  });
  if (credentials === undefined) return {};
  return token?.name === options.tokenParameter ? { username: credentials.username } : credentials;
}

/** The credential values as set, unchecked: so they can be redacted before anything can fail. */
export function rawCredentialsFromEnv(env: EnvVariables = process.env): CredentialInput {
  return {
    username: firstSet(env, USERNAME_VARIABLES)?.value,
    token: firstSet(env, TOKEN_VARIABLES)?.value,
  };
}

function allowHttpOf(env: EnvVariables, options: EnvOptions): boolean {
  return options.allowHttp === true || parseAllowHttp(env.OTS_ALLOW_HTTP, 'OTS_ALLOW_HTTP');
}

/** The first rule of the precedence that applies, with the values it reads. */
type TargetVariables =
  | { kind: 'list'; list: string; domain?: string }
  | { kind: 'region'; region?: string; domain?: string }
  | { kind: 'host'; host: string };

function targetVariables(env: EnvVariables, lists: boolean): TargetVariables | undefined {
  const list = lists ? readEnv(env, 'OTS_TARGETS') : undefined;
  const region = readEnv(env, 'OTS_REGION');
  const domain = readEnv(env, 'OTS_DOMAIN');
  const host = readEnv(env, 'ONETIME_HOST');
  if (list !== undefined) return { kind: 'list', list, domain };
  if (region !== undefined || domain !== undefined) return { kind: 'region', region, domain };
  // The Ruby client takes a base URL that may carry the API path (`https://eu.onetimesecret.com/api/v1`).
  if (host !== undefined) return { kind: 'host', host: host.replace(/\/api\/v[12]\/?$/, '/api') };
  return undefined;
}

/** A region and a domain kept apart (createClient prefers the domain, with a notice). */
function oneTarget(variables: TargetVariables | undefined, allowHttp: boolean): EnvSettings {
  if (variables === undefined || variables.kind === 'list') return {};
  if (variables.kind === 'host') {
    const target = parseDomain(variables.host, 'ONETIME_HOST', { allowHttp });
    if (target.kind === 'region') return { region: target.name as Region };
    return target.kind === 'default' ? {} : { domain: target.origin };
  }
  const settings: EnvSettings = {};
  if (variables.region !== undefined) settings.region = parseRegion(variables.region, 'OTS_REGION');
  if (variables.domain !== undefined)
    settings.domain = parseDomain(variables.domain, 'OTS_DOMAIN', { allowHttp }).origin;
  return settings;
}

/** The first of the names that is set, with its name (for messages). */
function firstSet(env: EnvVariables, names: readonly string[]): NamedValue | undefined {
  for (const name of names) {
    const value = readEnv(env, name);
    if (value !== undefined) return { name, value };
  }
  return undefined;
}
