/**
 * Links to keys (docs/interfaces.md "Targets"): a bare key, or a full link that also says where the key
 * lives. Messages never echo the key or the link.
 */
import { ValidationError } from '../errors.js';
import type { Target } from '../types.js';
import { hostProblem } from './host-as-written.js';
import {
  defaultTarget,
  REGION_LIST,
  type ResolveTargetOptions,
  resolveTarget,
  SERVICE_HOST,
  serviceTarget,
} from './targets.js';

export type LinkKind = 'secret' | 'receipt';

export interface ResolvedKey {
  key: string;
  /** The target the call goes to: the link's own host, or the configured one for a bare key. */
  target: Target;
}

const KEY = /^[A-Za-z0-9_-]{4,256}$/;
const LINK_PATH = /^\/(secret|receipt|private)\/([^/]+)\/?$/;
const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

function keyError(inputName: string, kind: LinkKind, problem: string): ValidationError {
  return new ValidationError(
    `${inputName} ${problem}. Give the ${kind} key, or its full link (https://<host>/${kind}/<key>).`,
    { input: inputName },
  );
}

/**
 * A bare key or a full link (`https://eu.onetimesecret.com/secret/<key>`; also `/receipt/`, `/private/`).
 * A link selects its own host when it is a region, the default host or the configured target; any
 * other host is an error.
 */
export function resolveLink(
  keyOrUrl: string,
  configured: Target,
  kind: LinkKind,
  inputName = 'key',
): ResolvedKey {
  const raw = keyOrUrl.trim();
  if (raw === '') throw keyError(inputName, kind, 'is empty');
  if (!raw.includes('/')) {
    if (!KEY.test(raw)) throw keyError(inputName, kind, 'is not a valid key (letters, digits, - and _ only)');
    return { key: raw, target: configured };
  }
  const url = parseLinkUrl(raw, inputName, kind);
  const link = linkPath(url);
  if (!link) throw keyError(inputName, kind, 'is a link but not to /secret/<key> or /receipt/<key>');
  if (link.kind !== kind) {
    throw keyError(inputName, kind, `is a ${link.kind} link, but this call needs the ${kind} link`);
  }
  if (link.key === undefined || !KEY.test(link.key))
    throw keyError(inputName, kind, 'has an invalid key in its link');
  return { key: link.key, target: linkTarget(url, configured, inputName) };
}

/** A key argument as given (a bare key or a link), and which kind of key it must be. */
export interface KeyArgument {
  key: string;
  kind: LinkKind;
}

/**
 * The configured target of a call (resolveTarget's), except that with no region or domain configured
 * a link to a region is called on that region: the call goes there anyway (resolveLink's rule), so the
 * default-host warning, which would not apply, is spared. Anything else in a link, a custom domain
 * included, is left to resolveLink to accept or refuse.
 */
export function resolveKeyTarget(
  argument: KeyArgument | undefined,
  options: ResolveTargetOptions = {},
): Target {
  const configured = [options.region, options.domain].some((value) => (value?.trim() ?? '') !== '');
  return (configured ? undefined : regionOfLink(argument)) ?? resolveTarget(options);
}

function regionOfLink(argument: KeyArgument | undefined): Target | undefined {
  if (argument === undefined || !argument.key.includes('/')) return undefined;
  const { key, kind } = argument;
  try {
    const { target } = resolveLink(key, defaultTarget(), kind);
    return target.kind === 'region' ? target : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The key a link carries, read as resolveLink reads it; `undefined` for a bare key or anything else.
 * It never throws: adapters mask the key alone before any check runs (it may be printed on its own).
 */
export function linkKey(keyOrUrl: string): string | undefined {
  const raw = keyOrUrl.trim();
  if (!raw.includes('/')) return undefined;
  try {
    return linkPath(new URL(SCHEME.test(raw) ? raw : `https://${raw}`))?.key;
  } catch {
    return undefined;
  }
}

/** The kind and the (percent-decoded) key of a link's path; no key for a malformed escape. */
function linkPath(url: URL): { kind: LinkKind; key: string | undefined } | undefined {
  const match = LINK_PATH.exec(url.pathname);
  if (!match) return undefined;
  return { kind: match[1] === 'secret' ? 'secret' : 'receipt', key: decodeLinkKey(match[2] ?? '') };
}

/** The key part of a link path, percent-decoded; `undefined` for a malformed escape such as `%E0%A4%A`. */
function decodeLinkKey(encoded: string): string | undefined {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
}

function parseLinkUrl(raw: string, inputName: string, kind: LinkKind): URL {
  const problem = hostProblem(raw);
  if (problem !== undefined) throw keyError(inputName, kind, `is a link that ${problem}`);
  let url: URL;
  try {
    url = new URL(SCHEME.test(raw) ? raw : `https://${raw}`);
  } catch {
    throw keyError(inputName, kind, 'is not a valid key or link');
  }
  if (url.username !== '' || url.password !== '') throw keyError(inputName, kind, 'is a link with user info');
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw keyError(inputName, kind, 'is not an https link');
  return url;
}

function linkTarget(url: URL, configured: Target, inputName: string): Target {
  if (url.origin === configured.origin) return configured;
  const hosted = serviceTarget(url);
  if (hosted !== undefined) return hosted;
  throw new ValidationError(
    `${inputName} is a link to another host (${url.host}): links are accepted for the regions ` +
      `(${REGION_LIST}), ${SERVICE_HOST} and the configured target ${configured.name}. ` +
      `Set domain to ${url.protocol === 'http:' ? url.origin : url.host} to use it, or pass the bare key.`,
    { input: inputName },
  );
}
