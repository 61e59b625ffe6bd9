/**
 * The request log's view of a path: a secret or receipt key is replaced with `:key`, so the log (served
 * at `/__sandbox/log`) keeps the route's shape without the keys that would open secrets. Applies to any
 * API version and to unmatched paths too: a key is sensitive whether or not the route exists.
 */

/** `/api/<version>[/guest]/<secret|receipt|private|metadata>/<segment>`: the segment may be a key. */
const KEYED_SEGMENT = /^(\/api\/[^/]+(?:\/guest)?\/(?:secret|receipt|private|metadata))\/([^/]+)/;
/** Fixed words in that position (conceal, generate, the status list, recent receipts): not keys. */
const ROUTE_WORDS = new Set(['conceal', 'generate', 'status', 'recent']);

export function loggedPath(path: string): string {
  const match = KEYED_SEGMENT.exec(path);
  if (match === null || ROUTE_WORDS.has(match[2] ?? '')) return path;
  return `${match[1]}/:key${path.slice(match[0].length)}`;
}
