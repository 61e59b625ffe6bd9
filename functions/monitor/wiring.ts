/**
 * The monitor's parts made from the configuration, once per container: the store (when
 * OTS_HISTORY_TABLE is set), the receivers (from OTS_NOTIFY_URL, or the SSM parameter named by
 * OTS_NOTIFY_URL_PARAMETER, read when a run needs it and cached by Powertools), and a real clock.
 * The store's modules are imported only when a table is configured, so no SDK loads at module load.
 */
import { createHash, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { runCheck } from '../check.js';
import type { FunctionConfig } from '../config.js';
import { type MonitorConfig, parseNotifyUrls } from '../config-monitor.js';
import { resolveCredentials, secretValue } from '../secrets.js';
import { formatFor } from './messages.js';
import type { Receiver, RunDeps, RunSettings } from './run.js';

export function receiverId(url: URL): string {
  return createHash('sha256').update(url.href).digest('hex').slice(0, 12);
}

export async function readReceivers(monitor: MonitorConfig, maxAgeSeconds: number): Promise<Receiver[]> {
  const value = await secretValue(monitor.notifyUrls, maxAgeSeconds);
  if (value === undefined) return [];
  const variable = monitor.notifyUrls.kind === 'parameter' ? monitor.notifyUrls.variable : 'OTS_NOTIFY_URL';
  return parseNotifyUrls(value, variable).map((url) => ({
    id: receiverId(url),
    url,
    format: formatFor(url, monitor.notifyFormat),
  }));
}

export function runSettings(monitor: MonitorConfig): RunSettings {
  const settings: RunSettings = {
    confirmChecks: monitor.confirmChecks,
    remindMinutes: monitor.remindMinutes,
    recheckSeconds: monitor.recheckSeconds,
  };
  if (monitor.notifySecret !== undefined) settings.notifySecret = monitor.notifySecret;
  return settings;
}

/** The store's modules (and with them the AWS SDK) load on the first run that has a table. */
async function openStore(monitor: MonitorConfig) {
  if (monitor.table === undefined) return undefined;
  const [{ documentClient }, { MonitorStore }] = await Promise.all([
    import('../store/client.js'),
    import('../store/monitor-store.js'),
  ]);
  return new MonitorStore(documentClient(), monitor.table, monitor.historyDays);
}

export async function monitorDeps(config: FunctionConfig, monitor: MonitorConfig): Promise<RunDeps> {
  return {
    check: async (targets) => runCheck(config, targets, await resolveCredentials(config)),
    store: openStore(monitor), // imported while the first checks run
    receivers: () => readReceivers(monitor, config.parameterMaxAgeSeconds),
    sleep: (ms) => sleep(ms),
    now: () => new Date(),
    random: () => randomBytes(3).toString('hex'),
  };
}
