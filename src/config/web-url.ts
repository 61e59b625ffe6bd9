/**
 * An address the functions send to or show (a notification webhook, the page's link): absolute,
 * http(s), no user info. It is never echoed: a webhook URL is a bearer secret.
 */
import { ValidationError } from '../errors.js';
import { isLoopbackHost } from '../targets/targets.js';

export interface WebUrlRule {
  /** Where plain http:// is accepted: only to a loopback host (a notification is not sent in clear), or anywhere. */
  http: 'loopback' | 'anywhere';
}

export function parseWebUrl(text: string, inputName: string, rule: WebUrlRule): URL {
  const refuse = (problem: string) => new ValidationError(`${inputName} ${problem}`, { input: inputName });
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw refuse('is not a URL: give an https:// address.');
  }
  const loopbackOnly = rule.http === 'loopback';
  const http = url.protocol === 'http:' && (!loopbackOnly || isLoopbackHost(url.hostname));
  if (url.protocol !== 'https:' && !http) {
    throw refuse(
      loopbackOnly
        ? 'must use https:// (http:// only for localhost or 127.x.x.x).'
        : 'must be an https:// or http:// address.',
    );
  }
  if (url.username !== '' || url.password !== '')
    throw refuse('must not contain user info (user:password@).');
  return url;
}
