/**
 * The status function's handler behind a minimal node:http server, reading a dynalite store filled with
 * synthetic history: what the screenshot script and the page bench serve. It builds real HTTP API v2
 * events (route keys as serverless.yml declares them); the handler is the real one, in this process.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { httpApiEvent, lambdaContext } from './http-api-event.js';
import { createHistoryTable, localStoreEnv, startLocalStore } from './local-store.js';
import { seedHistory } from './seed-history.js';

export interface PagePreview {
  url: string;
  endpoint: string;
  table: string;
  stop(): Promise<void>;
}

/** Seeds `targets` (names; nothing is ever requested from them) and serves the page on a free port. */
export async function startPagePreview(options: {
  targets: string[];
  days?: number;
  env?: Record<string, string>;
}): Promise<PagePreview> {
  const store = await startLocalStore();
  const table = 'onetime-kit-preview-history';
  await createHistoryTable(store.endpoint, table);
  await seedHistory({
    endpoint: store.endpoint,
    table,
    targets: options.targets.map((name) => ({
      name,
      statusUrl: `https://${name}.onetimesecret.com/api/v2/status`,
    })),
    days: options.days ?? 90,
    historyDays: 90,
  });
  Object.assign(process.env, localStoreEnv(store.endpoint), {
    OTS_HISTORY_TABLE: table,
    OTS_TARGETS: options.targets.join(','),
    POWERTOOLS_DEV: 'true',
    POWERTOOLS_LOG_LEVEL: 'WARN',
    ...options.env,
  });
  const { handler } = (await import('../functions/status.js')) as {
    handler: (e: APIGatewayProxyEventV2, c: Context) => Promise<APIGatewayProxyStructuredResultV2>;
  };
  const server = createServer(async (request, response) => {
    const result = await handler(httpApiEvent(request), lambdaContext('onetime-kit-preview-status'));
    response.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>);
    response.end(result.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    endpoint: store.endpoint,
    table,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.stop();
    },
  };
}
