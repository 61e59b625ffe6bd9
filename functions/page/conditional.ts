/**
 * ETag, Cache-Control and 304 for the page, the history JSON and the feed. The ETag is a hash of the
 * exact body, so a CDN or a browser revalidates cheaply and gets 304 until the data changes.
 */
import { createHash } from 'node:crypto';
import type { HttpEvent, HttpResult } from '../http.js';
import { header } from '../http.js';

export function etagOf(body: string): string {
  return `"${createHash('sha256').update(body, 'utf8').digest('base64url').slice(0, 27)}"`;
}

/** RFC 9110 13.1.2: weak comparison, a list of tags or `*`. */
export function matchesIfNoneMatch(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => opaque(tag) === opaque(etag));
}

export interface CachedAnswer {
  statusCode: number;
  contentType: string;
  body: string;
  maxAgeSeconds: number;
  headers?: Record<string, string>;
  /** The body's ETag when already known (a cached rendering). */
  etag?: string;
}

/** The answer with its ETag, or a bodiless 304 carrying the same validators when the client has it. */
export function conditionalResult(event: HttpEvent, answer: CachedAnswer): HttpResult {
  const etag = answer.etag ?? etagOf(answer.body);
  const headers: Record<string, string> = {
    etag,
    'cache-control': `public, max-age=${answer.maxAgeSeconds}`,
    'content-type': answer.contentType,
    'x-content-type-options': 'nosniff',
    ...answer.headers,
  };
  if (answer.statusCode === 200 && matchesIfNoneMatch(header(event, 'if-none-match'), etag)) {
    const { 'content-type': _dropped, ...rest } = headers;
    return { statusCode: 304, headers: rest, body: '' };
  }
  return { statusCode: answer.statusCode, headers, body: answer.body };
}
