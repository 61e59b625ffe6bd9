/**
 * What API Gateway hands the status function for a request: an HTTP API v2 (payload 2.0) event built
 * from a node:http request (route keys as serverless.yml declares them), and a Lambda context. For the
 * local servers around the real handler: scripts/page-preview.ts and bench/workers/status-server.mjs.
 * Only node: modules at run time (the rest are type imports), so that plain Node loads this file from
 * a .mjs worker by stripping its types.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';

function routeKey(path: string): { key: string; target?: string } {
  const one = /^\/(history|status)\/([^/]+)$/.exec(path);
  if (one !== null) return { key: `GET /${one[1]}/{target}`, target: decodeURIComponent(one[2]!) };
  return { key: `GET ${path}` };
}

export function httpApiEvent(request: IncomingMessage): APIGatewayProxyEventV2 {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const { key, target } = routeKey(url.pathname);
  const now = Date.now();
  return {
    version: '2.0',
    routeKey: key,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)])),
    ...(url.search === '' ? {} : { queryStringParameters: Object.fromEntries(url.searchParams) }),
    ...(target === undefined ? {} : { pathParameters: { target } }),
    requestContext: {
      accountId: '123456789012',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: request.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '',
        userAgent: request.headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: key,
      stage: '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
    },
    isBase64Encoded: false,
  };
}

/** The fields of a Lambda context the handlers read. */
export const lambdaContext = (functionName: string): Context =>
  ({
    functionName,
    awsRequestId: randomUUID(),
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '256',
    getRemainingTimeInMillis: () => 20_000,
  }) as Context;
