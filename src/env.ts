/**
 * Settings from environment variables (CLI and functions): `OTS_REGION`, `OTS_DOMAIN`, `OTS_USERNAME`,
 * `OTS_TOKEN`, with the official Ruby client's `ONETIME_HOST`, `ONETIME_CUSTID`, `ONETIME_APIKEY` as
 * fallbacks. Values are checked here so an error names the variable that is wrong.
 */
import { ValidationError } from './errors.js';
import { parseDomain, parseRegion } from './targets.js';
import type { Region } from './types.js';

export interface EnvSettings {
  region?: Region;
  /** The custom domain as an origin (`https://secrets.example.com`). */
  domain?: string;
  username?: string;
  token?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** Settings to spread into `createClient` options. Throws ValidationError naming a bad variable. */
export function settingsFromEnv(env: Env = process.env): EnvSettings {
  const settings: EnvSettings = {};
  const region = read(env, 'OTS_REGION');
  const domain = read(env, 'OTS_DOMAIN');
  if (region !== undefined) settings.region = parseRegion(region, 'OTS_REGION');
  if (domain !== undefined) settings.domain = parseDomain(domain, 'OTS_DOMAIN').origin;
  if (region === undefined && domain === undefined)
    Object.assign(settings, hostSettings(read(env, 'ONETIME_HOST')));

  const username = read(env, 'OTS_USERNAME') ?? read(env, 'ONETIME_CUSTID');
  const token = read(env, 'OTS_TOKEN') ?? read(env, 'ONETIME_APIKEY');
  if ((username === undefined) !== (token === undefined)) {
    const missing =
      username === undefined ? 'OTS_USERNAME (or ONETIME_CUSTID)' : 'OTS_TOKEN (or ONETIME_APIKEY)';
    throw new ValidationError(
      `${missing} is not set while its partner is: set both, or neither for anonymous use.`,
      {
        input: username === undefined ? 'OTS_USERNAME' : 'OTS_TOKEN',
      },
    );
  }
  if (username !== undefined) settings.username = username;
  if (token !== undefined) settings.token = token;
  return settings;
}

/** `ONETIME_HOST` is a base URL (`https://eu.onetimesecret.com`, maybe with `/api` or `/api/v1`). */
function hostSettings(host: string | undefined): EnvSettings {
  if (host === undefined) return {};
  const withoutVersion = host.replace(/\/api\/v[12]\/?$/, '/api');
  const target = parseDomain(withoutVersion, 'ONETIME_HOST');
  if (target.kind === 'region') return { region: target.name as Region };
  if (target.kind === 'default') return {};
  return { domain: target.origin };
}
