/**
 * The page's own settings, read once per container on first use: OTS_PAGE_TITLE (default
 * "Onetime Secret status") and OTS_PAGE_LINK (an http(s) URL shown under the title, e.g. your own site).
 * A bad value is a ConfigError naming the variable, remembered like the functions' configuration.
 */
import { readEnv } from '../../src/fetch.js';
import { ConfigError, type Env, oncePerContainer } from '../config-values.js';

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
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(
      'OTS_PAGE_LINK',
      'is not a URL: give an https:// address, e.g. https://example.com.',
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError('OTS_PAGE_LINK', 'must be an https:// or http:// address.');
  }
  if (url.username !== '' || url.password !== '') {
    throw new ConfigError('OTS_PAGE_LINK', 'must not contain user info (user:password@).');
  }
  return url;
}

export function readPageSettings(env: Env): PageSettings {
  const settings: PageSettings = { title: readTitle(env) };
  const link = readLink(env);
  if (link !== undefined) settings.link = link;
  return settings;
}

export const getPageSettings = oncePerContainer(readPageSettings);
