/**
 * Request parameters as Rack builds them: the query string merged with a form or JSON body, the body
 * winning (docs/ots-api.md 1.1 "Request encoding"; 2.1 "Request bodies"). Nested form keys (`a[b]=`, `a[]=`)
 * follow Rack's convention. Objects are created without a prototype so no key can reach Object.prototype.
 */
import type { IncomingMessage } from 'node:http';
import { InvalidMultipart, isMultipart, multipartFields } from './multipart.js';

/** Bodies above this are refused (as a bad payload), never buffered further. */
export const MAX_BODY_BYTES = 1024 * 1024;

export type Params = Record<string, unknown>;

export type ParamsProblem = 'too-large' | 'malformed';

export type ParamsResult =
  | { ok: true; params: Params }
  | { ok: false; problem: ParamsProblem }
  /** A malformed multipart body, on a server line that parses multipart (multipart.ts). */
  | { ok: false; problem: 'multipart'; reason: string };

class MalformedParams extends Error {}

export function emptyParams(): Params {
  return Object.create(null) as Params;
}

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw new MalformedParams('bad percent-encoding');
  }
}

/**
 * Nesting deeper than this is refused, as Rack's `param_depth_limit` (32) refuses it with
 * ParamsTooDeepError. Decision: the sandbox answers it as any unparseable body ("Incorrect payload
 * format": v1 404 with intended status 400, v2 400), which is how the server answers a parameter error
 * it cannot parse. Counting first keeps a key like `secret[a][a]...` (12,000 deep) linear.
 */
export const MAX_PARAM_DEPTH = 32;

/** `a[b][]` -> ['a', 'b', '']; a key whose brackets do not parse stays one plain name. */
function keyPath(key: string): string[] {
  const open = key.indexOf('[');
  if (open <= 0) return [key];
  let depth = 0;
  for (let i = open; i < key.length; i++) if (key.charCodeAt(i) === 91) depth++;
  if (depth > MAX_PARAM_DEPTH) throw new MalformedParams(`nested deeper than ${MAX_PARAM_DEPTH}`);
  const rest = key.slice(open);
  const parts = [...rest.matchAll(/\[([^[\]]*)\]/g)];
  if (parts.map((part) => part[0]).join('') !== rest) return [key];
  return [key.slice(0, open), ...parts.map((part) => part[1] as string)];
}

function isPlainParams(value: unknown): value is Params {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function assign(target: Params, path: string[], value: string): void {
  const [head, next, ...rest] = path as [string, string | undefined, ...string[]];
  if (next === undefined) {
    target[head] = value;
    return;
  }
  if (next === '') {
    if (rest.length > 0) throw new MalformedParams('arrays of objects are not supported');
    const list = target[head] ?? [];
    if (!Array.isArray(list)) throw new MalformedParams(`"${head}" is both a value and a list`);
    list.push(value);
    target[head] = list;
    return;
  }
  const child = target[head] ?? emptyParams();
  if (!isPlainParams(child)) throw new MalformedParams(`"${head}" is both a value and an object`);
  target[head] = child;
  assign(child, [next, ...rest], value);
}

/** Parses `application/x-www-form-urlencoded` text (and query strings). Throws MalformedParams. */
export function parseFormEncoded(text: string): Params {
  const params = emptyParams();
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decodeComponent(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : decodeComponent(pair.slice(eq + 1));
    if (key === '') continue;
    assign(params, keyPath(key), value);
  }
  return params;
}

function parseJsonObject(text: string): Params {
  if (text.trim() === '') return emptyParams();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new MalformedParams('invalid JSON');
  }
  if (!isPlainParams(parsed)) throw new MalformedParams('JSON body is not an object');
  return parsed;
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      resolve('too-large');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.resume();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function mediaType(req: IncomingMessage): string | undefined {
  const header = req.headers['content-type'];
  return header?.split(';')[0]?.trim().toLowerCase() || undefined;
}

function parseBody(req: IncomingMessage, text: string): Params {
  const type = mediaType(req);
  if (type === undefined) {
    // Rack reads a POST without a content type as a form.
    return req.method === 'POST' ? parseFormEncoded(text) : emptyParams();
  }
  if (/^application\/(vnd\..+\+)?json$/.test(type)) return parseJsonObject(text);
  if (type === 'application/x-www-form-urlencoded') return parseFormEncoded(text);
  // Multipart is not implemented by the sandbox; refuse it rather than guess.
  if (type === 'multipart/form-data') throw new MalformedParams('multipart bodies are not supported');
  // Rack ignores bodies of any other type: only the query string counts.
  return emptyParams();
}

/** Reads and merges all parameters of a request. Never throws for bad input: it says what was wrong. */
export async function readParams(
  req: IncomingMessage,
  rawQuery: string,
  limit = MAX_BODY_BYTES,
  parseMultipart = false,
): Promise<ParamsResult> {
  let body: Buffer | 'too-large';
  try {
    body = await readBody(req, limit);
  } catch {
    return { ok: false, problem: 'malformed' };
  }
  if (body === 'too-large') return { ok: false, problem: 'too-large' };
  try {
    const query = parseFormEncoded(rawQuery);
    const fromBody =
      parseMultipart && isMultipart(req)
        ? await multipartParams(req, body)
        : parseBody(req, body.toString('utf8'));
    return { ok: true, params: Object.assign(emptyParams(), query, fromBody) };
  } catch (error) {
    if (error instanceof MalformedParams) return { ok: false, problem: 'malformed' };
    if (error instanceof InvalidMultipart) return { ok: false, problem: 'multipart', reason: error.message };
    throw error;
  }
}

async function multipartParams(req: IncomingMessage, body: Buffer): Promise<Params> {
  const params = emptyParams();
  for (const [name, value] of await multipartFields(req, body)) assign(params, keyPath(name), value);
  return params;
}

/** A string parameter: strings as they are, numbers as text, anything else (objects, lists) undefined. */
export function stringParam(params: Params, name: string): string | undefined {
  const value = params[name];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** A nested object parameter (`secret[ttl]=` or `{"secret":{...}}`), or undefined. */
export function objectParam(params: Params, name: string): Params | undefined {
  const value = params[name];
  return isPlainParams(value) ? value : undefined;
}
