// The packaged status handler behind a minimal node:http server that builds real HTTP API v2 (payload
// 2.0) events: the handler's own throughput, without an emulator around it. One process, one module,
// one cache, as one warm Lambda container (but answering concurrently).
// Usage: node status-server.mjs <functions/status.mjs of the unpacked zip>
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

const { handler } = await import(pathToFileURL(process.argv[2]).href);

function event(request) {
  const url = new URL(request.url, 'http://localhost');
  const target = /^\/status\/([^/]+)$/.exec(url.pathname)?.[1];
  const routeKey = target === undefined ? 'GET /status' : 'GET /status/{target}';
  const now = Date.now();
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)])),
    queryStringParameters: url.search === '' ? undefined : Object.fromEntries(url.searchParams),
    pathParameters: target === undefined ? undefined : { target: decodeURIComponent(target) },
    requestContext: {
      accountId: '123456789012',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: request.method,
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress,
        userAgent: request.headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
    },
    isBase64Encoded: false,
  };
}

const context = () => ({
  functionName: 'onetime-kit-local-status',
  awsRequestId: randomUUID(),
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:onetime-kit-local-status',
  memoryLimitInMB: '256',
  getRemainingTimeInMillis: () => 20_000,
});

const server = createServer(async (request, response) => {
  const result = await handler(event(request), context());
  response.writeHead(result.statusCode, result.headers);
  response.end(result.body);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
