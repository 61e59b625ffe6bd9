// The packaged status handler behind a minimal node:http server that builds real HTTP API v2 (payload
// 2.0) events (scripts/http-api-event.ts, which Node loads by stripping its types): the handler's own
// throughput, without an emulator around it. One process, one module, one cache, as one warm Lambda
// container (but answering concurrently).
// Usage: node status-server.mjs <functions/status.mjs of the unpacked zip>
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';
import { httpApiEvent, lambdaContext } from '../../scripts/http-api-event.ts';

const { handler } = await import(pathToFileURL(process.argv[2]).href);

const server = createServer(async (request, response) => {
  const result = await handler(httpApiEvent(request), lambdaContext('onetime-kit-local-status'));
  response.writeHead(result.statusCode, result.headers);
  response.end(result.body);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
