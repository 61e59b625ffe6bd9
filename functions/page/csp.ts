/**
 * The page's Content-Security-Policy: nothing is allowed by default; the one stylesheet and the one
 * script are allowed by their SHA-256 hashes (no 'unsafe-inline', no nonce to generate per request, so
 * the bytes and the ETag stay stable); images only as data: URLs (the favicon). No frames, no forms, no
 * <base>. The hashes are computed once, on first use.
 */
import { createHash } from 'node:crypto';
import { SCRIPT } from './render.js';
import { STYLES } from './styles.js';

const hash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

let policy: string | undefined;

export function contentSecurityPolicy(): string {
  policy ??= [
    "default-src 'none'",
    `style-src ${hash(STYLES)}`,
    `script-src ${hash(SCRIPT)}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return policy;
}
