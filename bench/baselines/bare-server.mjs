// The machine's floor for the load test: a node:http server answering a fixed status JSON.
import { createServer } from 'node:http';

const body = JSON.stringify({ state: 'nominal', results: [], checkedAt: new Date().toISOString() });
const server = createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  response.end(body);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
