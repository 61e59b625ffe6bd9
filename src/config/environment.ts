/**
 * Settings from environment variables (CLI and functions): `OTS_REGION`, `OTS_DOMAIN`, `OTS_USERNAME`,
 * `OTS_TOKEN`, with the official Ruby client's `ONETIME_HOST`, `ONETIME_CUSTID`, `ONETIME_APIKEY` as
 * fallbacks. Values are checked here so an error names the variable that is wrong.
 */
import { ValidationError } from '../errors.js';
import { parseAllowHttp } from '../targets/plain-http.js';
import { parseDomain, parseRegion } from '../targets/targets.js';
import type { Region } from '../types.js';

export interface EnvSettings {
  region?: Region;
  /** The custom domain as an origin (`https://secrets.example.com`). */
  domain?: string;
  username?: string;
  token?: string;
  /** OTS_ALLOW_HTTP=true: plain http to a private host (src/targets/plain-http.ts). */
  allowHttp?: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** Settings to spread into `createClient` options. Throws ValidationError naming a bad variable. */
export function settingsFromEnv(env: Env = process.env, options: { allowHttp?: boolean } = {}): EnvSettings {
  const settings: EnvSettings = {};
  const allowHttp = options.allowHttp === true || parseAllowHttp(env.OTS_ALLOW_HTTP, 'OTS_ALLOW_HTTP');
  if (allowHttp) settings.allowHttp = true;
  const region = read(env, 'OTS_REGION');
  const domain = read(env, 'OTS_DOMAIN');
  if (region !== undefined) settings.region = parseRegion(region, 'OTS_REGION');
  if (domain !== undefined) settings.domain = parseDomain(domain, 'OTS_DOMAIN', { allowHttp }).origin;
  if (region === undefined && domain === undefined)
    Object.assign(settings, hostSettings(read(env, 'ONETIME_HOST'), allowHttp));

  const username = firstSet(env, 'OTS_USERNAME', 'ONETIME_CUSTID');
  const token = firstSet(env, 'OTS_TOKEN', 'ONETIME_APIKEY');
  if (username === undefined && token !== undefined) {
    throw halfCredentials(token.name, 'OTS_USERNAME (or ONETIME_CUSTID)', 'the account email');
  }
  if (token === undefined && username !== undefined) {
    throw halfCredentials(username.name, 'OTS_TOKEN (or ONETIME_APIKEY)', 'the API token of that account');
  }
  if (username !== undefined) settings.username = username.value;
  if (token !== undefined) settings.token = token.value;
  return settings;
}

/** The first of a variable and its fallback that is set, with its name (for messages). */
function firstSet(env: Env, name: string, fallback: string): { name: string; value: string } | undefined {
  for (const candidate of [name, fallback]) {
    const value = read(env, candidate);
    if (value !== undefined) return { name: candidate, value };
  }
  return undefined;
}

function halfCredentials(setName: string, missing: string, what: string): ValidationError {
  const input = missing.split(' ')[0] ?? missing;
  return new ValidationError(
    `${setName} is set but ${missing} is not: set ${input} to ${what}, or unset ${setName} for anonymous use.`,
    { input },
  );
}

/** `ONETIME_HOST` is a base URL (`https://eu.onetimesecret.com`, maybe with `/api` or `/api/v1`). */
function hostSettings(host: string | undefined, allowHttp: boolean): EnvSettings {
  if (host === undefined) return {};
  const withoutVersion = host.replace(/\/api\/v[12]\/?$/, '/api');
  const target = parseDomain(withoutVersion, 'ONETIME_HOST', { allowHttp });
  if (target.kind === 'region') return { region: target.name as Region };
  if (target.kind === 'default') return {};
  return { domain: target.origin };
}
