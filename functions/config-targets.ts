/**
 * Which targets the functions check, from the environment (docs/interfaces.md "Credentials": the functions read
 * the same variables as the CLI, with the Ruby client's as fallbacks). Precedence:
 *   1. OTS_TARGETS (a list), plus OTS_DOMAIN as one more target;
 *   2. otherwise OTS_REGION (one region) and/or OTS_DOMAIN;
 *   3. otherwise ONETIME_HOST (a base URL, as the Ruby client takes it);
 *   4. otherwise `all` five hosted regions.
 * OTS_ALLOW_HTTP=true allows http:// to a private host in any of them (src/targets/plain-http.ts).
 * functions/deploy/alarms.cjs applies the same precedence for the alarms; a test checks they agree.
 */
import { parseAllowHttp, parseDomain, parseRegion, parseTargets, regionTarget } from '../src/fetch.js';
import type { Target } from '../src/types.js';
import { asConfigError, type Env, read } from './config-values.js';

export const DEFAULT_TARGETS = 'all';

export function readTargets(env: Env): Target[] {
  const list = read(env, 'OTS_TARGETS');
  const region = read(env, 'OTS_REGION');
  const domain = read(env, 'OTS_DOMAIN');
  const host = read(env, 'ONETIME_HOST');
  return asConfigError(() => {
    const http = { allowHttp: parseAllowHttp(env.OTS_ALLOW_HTTP, 'OTS_ALLOW_HTTP') };
    if (list !== undefined) {
      return parseTargets(list, { domain, inputName: 'OTS_TARGETS', domainInputName: 'OTS_DOMAIN', ...http });
    }
    if (region !== undefined || domain !== undefined) {
      const targets = region === undefined ? [] : [regionTarget(parseRegion(region, 'OTS_REGION'))];
      const extra = domain === undefined ? [] : [parseDomain(domain, 'OTS_DOMAIN', http)];
      return unique([...targets, ...extra]);
    }
    // ONETIME_HOST may carry the API path (`https://eu.onetimesecret.com/api/v1`), as src/config/environment.ts accepts.
    if (host !== undefined)
      return [parseDomain(host.replace(/\/api\/v[12]\/?$/, '/api'), 'ONETIME_HOST', http)];
    return parseTargets(DEFAULT_TARGETS);
  });
}

function unique(targets: Target[]): Target[] {
  const seen = new Set<string>();
  return targets.filter((target) => !seen.has(target.origin) && seen.add(target.origin));
}
