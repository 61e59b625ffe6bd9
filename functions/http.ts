/**
 * HTTP plumbing shared by the status and webhook functions. API Gateway HTTP API (payload 2.0) and
 * Lambda Function URLs deliver the same event shape (`APIGatewayProxyEventV2`); Function URLs use the
 * route key `$default`, so routing falls back to the raw path.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2;

/** A header value by name, whatever its case (HTTP API lower-cases names; hand-made events may not). */
export function header(event: HttpEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}

export function method(event: HttpEvent): string {
  return event.requestContext?.http?.method?.toUpperCase() ?? 'GET';
}

/** The size in bytes of the body as received, without decoding base64 (an upper bound is enough early). */
export function encodedBodyLength(event: HttpEvent): number {
  return typeof event.body === 'string' ? Buffer.byteLength(event.body, 'utf8') : 0;
}

/** The exact bytes the caller sent: base64-decoded when the platform encoded them. */
export function rawBody(event: HttpEvent): Buffer {
  // No body arrives as undefined from API Gateway and as null from some emulators.
  if (typeof event.body !== 'string') return Buffer.alloc(0);
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
}

export interface JsonOptions {
  requestId: string;
  /** `public, max-age=<n>` when given; `no-store` otherwise. */
  cacheSeconds?: number;
}

/** A JSON answer. The request id goes in a header always (bodies may have a fixed schema, e.g. badges). */
export function json(statusCode: number, body: unknown, options: JsonOptions): HttpResult {
  return {
    statusCode,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control':
        options.cacheSeconds === undefined ? 'no-store' : `public, max-age=${options.cacheSeconds}`,
      'x-content-type-options': 'nosniff',
      'x-request-id': options.requestId,
    },
    body: JSON.stringify(body),
  };
}

/** `{ error, requestId }`, never cached. The message must already be safe to show (no secrets). */
export function errorResponse(statusCode: number, message: string, requestId: string): HttpResult {
  return json(statusCode, { error: message, requestId }, { requestId });
}
