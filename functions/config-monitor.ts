/**
 * The monitor's settings (docs/monitor.md): the history table, confirmation, reminders, notifications
 * and how long a stored result may answer /status. Read once per container on first use, like
 * config.ts, and kept apart from it so the check's own settings stay small. A bad value is a
 * ConfigError naming the variable; a notification URL (a bearer secret) never reaches a message.
 */
import { parseWebUrl, readEnv } from '../src/fetch.js';
import { readSecretSource, type SecretSource } from './config.js';
import {
  ConfigError,
  type Env,
  fromCore,
  oncePerContainer,
  readChoice,
  readInteger,
} from './config-values.js';

export const NOTIFY_FORMATS = ['auto', 'slack', 'teams', 'discord', 'json'] as const;
export type NotifyFormat = (typeof NOTIFY_FORMATS)[number];

export interface MonitorConfig {
  /** OTS_HISTORY_TABLE; without it the functions have no memory (no history, no notifications). */
  table?: string;
  historyDays: number;
  recheckSeconds: number;
  confirmChecks: number;
  remindMinutes: number;
  /** The notification URLs: in the environment (checked here), or an SSM parameter (checked when read). */
  notifyUrls: SecretSource;
  notifyFormat: NotifyFormat;
  /** Signs `json` notifications with X-OTS-Signature; unsigned when unset. */
  notifySecret?: string;
  statusMaxAgeSeconds: number;
}

export const MONITOR_DEFAULTS = Object.freeze({
  historyDays: 90,
  recheckSeconds: 5,
  confirmChecks: 2,
  remindMinutes: 0,
  notifyFormat: 'auto' as NotifyFormat,
  statusMaxAgeSeconds: 600,
});

const DAY_SECONDS = 86_400;

export const getMonitorConfig = oncePerContainer(readMonitorConfig);

export function readMonitorConfig(env: Env): MonitorConfig {
  const table = readEnv(env, 'OTS_HISTORY_TABLE');
  if (table !== undefined && !/^[a-zA-Z0-9_.-]{3,255}$/.test(table)) {
    throw new ConfigError(
      'OTS_HISTORY_TABLE',
      'is not a DynamoDB table name: use 3 to 255 of a-z A-Z 0-9 _ . -.',
    );
  }
  const notifyUrls = readSecretSource(env, ['OTS_NOTIFY_URL'], 'OTS_NOTIFY_URL_PARAMETER');
  if (notifyUrls.kind === 'value') parseNotifyUrls(notifyUrls.value, 'OTS_NOTIFY_URL');
  const config: MonitorConfig = {
    historyDays: readInteger(env, 'OTS_HISTORY_DAYS', MONITOR_DEFAULTS.historyDays, {
      min: 1,
      max: 3650,
      unit: 'days',
    }),
    recheckSeconds: readInteger(env, 'OTS_RECHECK_SECONDS', MONITOR_DEFAULTS.recheckSeconds, {
      min: 0,
      max: 20,
      unit: 'seconds',
      why: 'the re-check must end within the scheduled function’s 60 s timeout',
    }),
    confirmChecks: readInteger(env, 'OTS_CONFIRM_CHECKS', MONITOR_DEFAULTS.confirmChecks, {
      min: 1,
      max: 20,
      unit: 'checks',
    }),
    remindMinutes: readInteger(env, 'OTS_REMIND_MINUTES', MONITOR_DEFAULTS.remindMinutes, {
      min: 0,
      max: 7 * 24 * 60,
      unit: 'minutes',
    }),
    notifyUrls,
    notifyFormat: readChoice(env, 'OTS_NOTIFY_FORMAT', NOTIFY_FORMATS, MONITOR_DEFAULTS.notifyFormat),
    statusMaxAgeSeconds: readInteger(
      env,
      'OTS_STATUS_MAX_AGE_SECONDS',
      MONITOR_DEFAULTS.statusMaxAgeSeconds,
      { min: 0, max: DAY_SECONDS, unit: 'seconds' },
    ),
  };
  if (table !== undefined) config.table = table;
  const secret = readEnv(env, 'OTS_NOTIFY_SECRET');
  if (secret !== undefined) config.notifySecret = secret;
  return config;
}

/**
 * A comma-separated list of https:// URLs (the core's parseWebUrl: http:// only to a loopback host).
 * Errors name the variable and the URL's position, never the URL: it may be a bearer secret.
 */
export function parseNotifyUrls(value: string, variable: string): URL[] {
  const parts = value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (parts.length === 0)
    throw new ConfigError(variable, 'has no URL in it: give one or more https:// URLs, comma-separated.');
  if (parts.length > 10) throw new ConfigError(variable, `has ${parts.length} URLs: at most 10 are allowed.`);
  return parts.map((part, index) => {
    const name = parts.length > 1 ? `${variable} URL ${index + 1}` : variable;
    return fromCore(() => parseWebUrl(part, name, { http: 'loopback' }));
  });
}
