/**
 * The page's own settings, read once per container on first use: OTS_PAGE_TITLE (default
 * "Onetime Secret status") and OTS_PAGE_LINK (an http(s) URL shown under the title, e.g. your own site).
 * A bad value is a ConfigError naming the variable, remembered like the functions' configuration.
 */
import { parseWebUrl, readEnv } from '../../src/fetch.js';
import { ConfigError, type Env, fromCore, oncePerContainer } from '../config-values.js';

export interface PageSettings {
  title: string;
  link?: URL;
}

export const DEFAULT_TITLE = 'Onetime Secret status';
const MAX_TITLE = 100;

function readTitle(env: Env): string {
  const title = readEnv(env, 'OTS_PAGE_TITLE');
  if (title === undefined) return DEFAULT_TITLE;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused.
  if (title.length > MAX_TITLE || /[\u0000-\u001f\u007f]/.test(title)) {
    throw new ConfigError('OTS_PAGE_TITLE', `must be 1 to ${MAX_TITLE} characters on one line.`);
  }
  return title;
}

function readLink(env: Env): URL | undefined {
  const value = readEnv(env, 'OTS_PAGE_LINK');
  return value === undefined
    ? undefined
    : fromCore(() => parseWebUrl(value, 'OTS_PAGE_LINK', { http: 'anywhere' }));
}

export function readPageSettings(env: Env): PageSettings {
  const settings: PageSettings = { title: readTitle(env) };
  const link = readLink(env);
  if (link !== undefined) settings.link = link;
  return settings;
}

export const getPageSettings = oncePerContainer(readPageSettings);
