/** Shared test plumbing for the Lambda handlers: real-shaped events, a Lambda context, output capture. */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { vi } from 'vitest';

const EVENTS_DIR = new URL('../events/', import.meta.url);

/** A fresh copy of a sample event from test/events. */
export function sampleEvent<T = APIGatewayProxyEventV2>(name: string): T {
  return JSON.parse(readFileSync(new URL(`${name}.json`, EVENTS_DIR), 'utf8')) as T;
}

/** The sample HTTP API event for `GET /status`, or `GET /status/{target}` with `target` given. */
export function statusEvent(target?: string, query: Record<string, string> = {}): APIGatewayProxyEventV2 {
  const event = sampleEvent(target === undefined ? 'http-api-status' : 'http-api-status-target');
  if (target !== undefined) {
    event.pathParameters = { target };
    event.rawPath = `/status/${encodeURIComponent(target)}`;
    event.requestContext.http.path = event.rawPath;
  }
  event.queryStringParameters = Object.keys(query).length > 0 ? query : undefined;
  event.rawQueryString = new URLSearchParams(query).toString();
  return event;
}

/** The sample webhook event with this body and these extra headers (the sample's signature removed). */
export function webhookEvent(body: string, headers: Record<string, string> = {}): APIGatewayProxyEventV2 {
  const event = sampleEvent('http-api-webhook');
  delete event.headers['x-hub-signature-256'];
  event.headers = { ...event.headers, ...headers, 'content-length': String(Buffer.byteLength(body)) };
  event.body = body;
  return event;
}

export function lambdaContext(functionName = 'status'): Context {
  const name = `onetime-kit-test-${functionName}`;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:123456789012:function:${name}`,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: '2026/11/28/[$LATEST]0123456789abcdef0123456789abcdef',
    getRemainingTimeInMillis: () => 20_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * Everything written to stdout and stderr while it runs. Powertools Logger and Metrics write through
 * their own `Console` on process.stdout/stderr, so the streams are what to watch.
 */
export function captureOutput(): { text: () => string; lines: () => string[]; restore: () => void } {
  const chunks: string[] = [];
  const record = (chunk: unknown) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(record);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(record);
  return {
    text: () => chunks.join(''),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line.trim() !== ''),
    restore: () => {
      out.mockRestore();
      err.mockRestore();
    },
  };
}

/** Every OTS_* / ONETIME_* / POWERTOOLS_* variable cleared, then `values` set. Returns an undo. */
export function setEnv(values: Record<string, string>): () => void {
  const saved = { ...process.env };
  for (const key of Object.keys(process.env)) {
    if (/^(OTS_|ONETIME_|POWERTOOLS_)/.test(key)) delete process.env[key];
  }
  Object.assign(process.env, values);
  return () => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  };
}

/** Status-endpoint requests a sandbox received (the check's own reads). */
export function statusReads(log: readonly { path: string }[]): number {
  return log.filter((entry) => /\/api\/v[12]\/status$/.test(entry.path)).length;
}
