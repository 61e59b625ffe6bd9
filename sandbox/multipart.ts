/**
 * `multipart/form-data` bodies as v0.26.8's `ValidateMultipart` middleware treats them (docs/ots-api.md
 * 8.3 C3): a multipart type without a boundary, `Content-Length: 0`, or a body that does not parse is a
 * 400 "Invalid multipart request: <reason>" for every API version; a well-formed body is parsed like a
 * form. Parsing uses the runtime's own `Response.formData()` (node:* only, no parser written here).
 */
import type { IncomingMessage } from 'node:http';

export function isMultipart(req: IncomingMessage): boolean {
  return /^multipart\//i.test(req.headers['content-type']?.trim() ?? '');
}

/** Why the middleware refuses the request before any app sees it, or undefined to carry on. */
export function multipartHeaderProblem(req: IncomingMessage): string | undefined {
  if (!isMultipart(req)) return undefined;
  if (!/;\s*boundary=("[^"]+"|[^;\s]+)/i.test(req.headers['content-type'] ?? '')) return 'missing boundary';
  if (req.headers['content-length'] === '0') return 'empty body';
  return undefined;
}

export class InvalidMultipart extends Error {}

/** The text fields of a multipart body as [name, value] pairs (file parts are skipped). */
export async function multipartFields(req: IncomingMessage, body: Buffer): Promise<[string, string][]> {
  let form: FormData;
  try {
    const headers = { 'content-type': req.headers['content-type'] ?? '' };
    form = await new Response(new Uint8Array(body), { headers }).formData();
  } catch {
    throw new InvalidMultipart('the body could not be parsed');
  }
  const fields: [string, string][] = [];
  for (const [name, value] of form) if (typeof value === 'string') fields.push([name, value]);
  return fields;
}
