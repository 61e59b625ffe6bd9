/**
 * `GET /status` (all configured targets) and `GET /status/{target}` (one of them), for API Gateway HTTP
 * API and Function URLs. `?format=badge` answers shields.io endpoint JSON. 200 when the overall state is
 * nominal or degraded, 503 when down (a badge is always 200, so shields can draw "down" in red).
 * Results come from the history table while fresh (status-source.ts, `"source": "store"`), otherwise
 * from a live check cached in the warm container for OTS_STATUS_CACHE_SECONDS, shared while in flight.
 */
import type { Context } from 'aws-lambda';
import type { Target } from '../src/fetch.js';
import { badge, misconfiguredBadge } from './badge.js';
import { combine, StatusCache } from './cache.js';
import { configuredNames, findTarget, runCheck } from './check.js';
import { ConfigError, type FunctionConfig, getConfig } from './config.js';
import { getMonitorConfig } from './config-monitor.js';
import { handleHttp } from './handle.js';
import { errorResponse, type HttpEvent, type HttpResult, json, method } from './http.js';
import { pageRoute } from './page/routes.js';
import { servePage } from './page/serve.js';
import { logger } from './powertools.js';
import { resolveCredentials } from './secrets.js';
import { StatusSource } from './status-source.js';

type Route = { kind: 'all' } | { kind: 'one'; name: string } | { kind: 'none' };

let source: StatusSource | undefined;

function statusSource(config: FunctionConfig): StatusSource {
  if (source !== undefined) return source;
  const monitor = getMonitorConfig();
  const cache = new StatusCache(config.cacheSeconds * 1000);
  const table = monitor.table;
  source = new StatusSource({
    ...(table === undefined ? {} : { readStored: (names) => readStored(table, names) }),
    live: (targets) =>
      cache.get(targets, async (missing) => runCheck(config, missing, await resolveCredentials(config))),
    maxAgeMs: monitor.statusMaxAgeSeconds * 1000,
    cacheMs: config.cacheSeconds * 1000,
    now: Date.now,
  });
  return source;
}

/** The store's modules (and with them the AWS SDK) load on first use: no SDK at module load. */
async function readStored(table: string, names: readonly string[]) {
  const [{ documentClient }, { readLatest }] = await Promise.all([
    import('./store/client.js'),
    import('./store/latest.js'),
  ]);
  return readLatest(documentClient(), table, names);
}

/** HTTP API gives the path parameter; a Function URL (`$default`) only the raw path, maybe stage-prefixed. */
function route(event: HttpEvent): Route {
  const parameter = event.pathParameters?.target;
  if (parameter !== undefined && event.routeKey !== '$default') return { kind: 'one', name: parameter };
  const path = event.rawPath ?? '/';
  if (path === '/' || path === '') return { kind: 'all' };
  const match = /(?:^|\/)status(?:\/([^/]+))?\/?$/.exec(path);
  if (match === null) return { kind: 'none' };
  if (match[1] === undefined) return { kind: 'all' };
  try {
    return { kind: 'one', name: decodeURIComponent(match[1]) };
  } catch {
    return { kind: 'none' };
  }
}

async function status(event: HttpEvent, requestId: string): Promise<HttpResult> {
  if (method(event) !== 'GET') {
    const result = errorResponse(405, 'Only GET is allowed here.', requestId);
    return { ...result, headers: { ...result.headers, allow: 'GET' } };
  }
  // GET /, /history, /history/{target} and /incidents.atom: the page routes (functions/page/).
  const page = pageRoute(event);
  if (page !== undefined) return servePage(page, event, requestId);
  const where = route(event);
  if (where.kind === 'none')
    return errorResponse(404, 'Not found: use /status or /status/{target}.', requestId);
  const wantsBadge = event.queryStringParameters?.format === 'badge';
  let config: FunctionConfig;
  try {
    config = getConfig();
  } catch (error) {
    if (!(error instanceof ConfigError) || !wantsBadge) throw error;
    const name = where.kind === 'one' ? where.name : undefined;
    return json(200, misconfiguredBadge(name && /^[\w.:-]{1,64}$/.test(name) ? name : undefined), {
      requestId,
      cacheSeconds: 0,
    });
  }
  let targets: readonly Target[] = config.targets;
  if (where.kind === 'one') {
    const target = findTarget(config, where.name);
    // The name is not echoed back, and never parsed as a new target: only configured ones are reachable.
    if (target === undefined) {
      return errorResponse(404, `No such target: use one of ${configuredNames(config)}.`, requestId);
    }
    targets = [target];
  }
  const results = await statusSource(config).results(targets);
  const report = combine(results);
  logger.info('Status answered', { state: report.state, targets: targets.map((t) => t.name) });
  const options = { requestId, cacheSeconds: config.cacheSeconds };
  if (wantsBadge) {
    return json(200, badge(report.state, where.kind === 'one' ? targets[0]?.name : undefined), options);
  }
  return json(report.state === 'down' ? 503 : 200, { requestId, ...report }, options);
}

export const handler = async (event: HttpEvent, context: Context): Promise<HttpResult> =>
  handleHttp(event, context, status);
