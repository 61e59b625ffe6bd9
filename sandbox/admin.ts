/**
 * The sandbox's own control interface under `/__sandbox/` (a prefix the real API does not have).
 * Its requests are never faulted, logged or counted.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type FaultSet, validateFaultRule } from './faults.js';
import { sendJson } from './http.js';
import type { RequestLogEntry, SandboxStats } from './types.js';

export const ADMIN_PREFIX = '/__sandbox/';

export interface AdminTarget {
  faults: FaultSet;
  requestLog(): readonly RequestLogEntry[];
  stats(): SandboxStats;
  resetStats(): void;
}

const ROUTES = [
  'GET /__sandbox/faults',
  'POST /__sandbox/faults',
  'DELETE /__sandbox/faults',
  'GET /__sandbox/log',
  'GET /__sandbox/stats',
  'POST /__sandbox/reset',
];

const ADMIN_BODY_LIMIT = 64 * 1024;

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= ADMIN_BODY_LIMIT) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > ADMIN_BODY_LIMIT) return reject(new TypeError('body is larger than 64 KiB'));
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(new TypeError('body is not valid JSON; send one FaultRule object or a list of them'));
      }
    });
    req.on('error', reject);
  });
}

async function addFaults(req: IncomingMessage, res: ServerResponse, target: AdminTarget): Promise<void> {
  try {
    const body = await readJson(req);
    const rules = Array.isArray(body) ? body : [body];
    // Validate all before adding any, so a bad list adds nothing.
    const valid = rules.map(validateFaultRule);
    for (const rule of valid) target.faults.add(rule);
    sendJson(res, 201, target.faults.list());
  } catch (error) {
    const message = error instanceof Error ? error.message : 'invalid fault rule';
    sendJson(res, 400, { error: message });
  }
}

export async function handleAdmin(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  target: AdminTarget,
): Promise<void> {
  const route = `${req.method} ${path.replace(/\/+$/, '')}`;
  switch (route) {
    case 'GET /__sandbox/faults':
      return sendJson(res, 200, target.faults.list());
    case 'POST /__sandbox/faults':
      return addFaults(req, res, target);
    case 'DELETE /__sandbox/faults':
      return sendJson(res, 200, { cleared: target.faults.clear() });
    case 'GET /__sandbox/log':
      return sendJson(res, 200, target.requestLog());
    case 'GET /__sandbox/stats':
      return sendJson(res, 200, target.stats());
    case 'POST /__sandbox/reset':
      target.resetStats();
      return sendJson(res, 200, target.stats());
    default:
      req.resume();
      return sendJson(res, 404, { error: `No sandbox admin route ${route}`, routes: ROUTES });
  }
}
