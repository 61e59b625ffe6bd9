/**
 * The host part of a domain or link, checked as the user wrote it. WHATWG URL parsing rewrites numeric
 * shorthands before any later check can see them (`1.1` -> `1.0.0.1`, `2130706433` -> `127.0.0.1`,
 * `0x7f.1` -> `127.0.0.1`), so the check runs on the raw text, before `new URL`.
 * Accepted: a DNS name whose last label starts with a letter (`localhost` alone is fine), a canonical
 * dotted-quad IPv4 (four decimal parts 0-255, no leading zeros) or a bracketed IPv6.
 */

/** The accepted forms, for error messages. */
const HOST_FORMS =
  'a DNS name (secrets.example.com), an IPv4 address in four decimal parts (192.0.2.10) or a bracketed IPv6 address ([2001:db8::1])';

const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const CANONICAL_IPV4 = new RegExp(`^${OCTET}(\\.${OCTET}){3}$`);
const BRACKETED_IPV6 = /^\[[0-9a-f:.]+\]$/i;
/** Letters (any script, so IDN names work), digits and hyphens; no leading or trailing hyphen. */
const LABEL = /^(?!-)[\p{L}\p{M}\p{Nd}-]{1,63}(?<!-)$/u;
/** The top-level label starts with a letter: every real TLD does, and it keeps numbers out. */
const LAST_LABEL = /^[\p{L}]/u;

/** The host as written in `raw` (a domain or link, with or without a scheme), or `''` when none. */
function hostAsWritten(raw: string): string {
  const afterScheme = raw.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const authority = afterScheme.split(/[/?#\\]/, 1)[0] ?? '';
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  if (hostPort.startsWith('[')) {
    const end = hostPort.indexOf(']');
    return end === -1 ? hostPort : hostPort.slice(0, end + 1);
  }
  const colon = hostPort.indexOf(':');
  return colon === -1 ? hostPort : hostPort.slice(0, colon);
}

/** Whether a host, as written, is one of the accepted forms (case-insensitive; one trailing dot allowed). */
function isAcceptedHost(host: string): boolean {
  if (CANONICAL_IPV4.test(host) || BRACKETED_IPV6.test(host)) return true;
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  const labels = name.split('.');
  const last = labels[labels.length - 1] ?? '';
  return labels.every((label) => LABEL.test(label)) && LAST_LABEL.test(last);
}

/** The host for an error message: shown when it is short and plain, so a message never echoes junk. */
function shownHost(host: string): string {
  return /^[\p{L}\p{N}.:[\]-]{1,64}$/u.test(host) ? `"${host}" ` : '';
}

/**
 * Why the host as written is refused, if it is: URL parsing would rewrite it (`1.1`, `0`, `2130706433`)
 * into an address nobody typed. The callers wrap the wording in their own error, before any request.
 */
export function hostProblem(raw: string): string | undefined {
  const host = hostAsWritten(raw);
  if (host === '' || isAcceptedHost(host)) return undefined;
  return `has the host ${shownHost(host)}which is not a valid host name: use ${HOST_FORMS}`;
}
