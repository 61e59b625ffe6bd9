/**
 * The page routes inside the status function: the settings and the history source, made once per
 * container on the first page request. The store module (and with it the AWS SDK) is imported only
 * then, so a cold start that serves /status does not pay for it.
 */

import { getConfig } from '../config.js';
import { getMonitorConfig } from '../config-monitor.js';
import type { HttpEvent, HttpResult } from '../http.js';
import { logger } from '../powertools.js';
import { CachedSource } from './cached-source.js';
import type { HistoryData } from './model.js';
import { type PageRoute, servePageRoute } from './routes.js';
import { getPageSettings } from './settings.js';
import { type HistoryRequest, type HistorySource, syntheticAllowed } from './source.js';

/** Without OTS_HISTORY_TABLE the functions keep no history: the page says "no history yet". */
const NO_STORE: HistorySource = {
  async read(request: HistoryRequest): Promise<HistoryData> {
    logger.info('OTS_HISTORY_TABLE is not set: the page and /history have no history to show');
    return {
      synthetic: false,
      targets: request.targets.map((target) => ({
        target,
        current: null,
        days: [],
        incidents: [],
        recent: [],
      })),
    };
  },
};

let source: Promise<HistorySource> | undefined;

async function makeSource(table: string | undefined, cacheSeconds: number): Promise<HistorySource> {
  if (table === undefined) return NO_STORE;
  const [{ StoreHistorySource }, { documentClient }] = await Promise.all([
    import('./store-source.js'),
    import('../store/client.js'),
  ]);
  return new CachedSource(
    new StoreHistorySource(documentClient(), table, syntheticAllowed()),
    cacheSeconds * 1000,
  );
}

export async function servePage(route: PageRoute, event: HttpEvent, requestId: string): Promise<HttpResult> {
  const config = getConfig();
  const settings = getPageSettings();
  const monitor = getMonitorConfig();
  source ??= makeSource(monitor.table, config.cacheSeconds);
  return servePageRoute(route, event, {
    config,
    settings,
    source: await source,
    retentionDays: monitor.historyDays,
    requestId,
    now: new Date(),
  });
}
