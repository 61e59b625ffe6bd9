/**
 * A loopback HTTP server in front of the sandbox that passes every request through and can rewrite the
 * JSON answers of matching paths: the sandbox answers, and a test changes one field's type. Only for
 * answers no server here gives (a field of an unexpected type).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';

export type Rewrite = (json: unknown) => unknown;

export interface MutatingProxy {
  url: string;
  /** Rewrites answers to paths starting with `prefix` (the whole path, `/api/v2/secret/`). */
  rewrite(prefix: string, change: Rewrite): void;
  clear(): void;
  stop(): Promise<void>;
}

export async function startMutatingProxy(upstream: string): Promise<MutatingProxy> {
  const agent = new Agent({ keepAliveTimeout: 10_000 });
  let rule: { prefix: string; change: Rewrite } | undefined;
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = { ...req.headers };
    delete headers.host;
    delete headers.connection;
    const answer = await request(`${upstream}${req.url}`, {
      method: req.method as 'GET',
      headers: headers as Record<string, string>,
      body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
      dispatcher: agent,
    });
    let text = await answer.body.text();
    if (rule && req.url?.startsWith(rule.prefix)) text = JSON.stringify(rule.change(JSON.parse(text)));
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(answer.headers)) {
      if (typeof value === 'string' && name !== 'content-length' && name !== 'connection') out[name] = value;
    }
    res.writeHead(answer.statusCode, { ...out, 'content-length': Buffer.byteLength(text) });
    res.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    rewrite: (prefix, change) => {
      rule = { prefix, change };
    },
    clear: () => {
      rule = undefined;
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await agent.close();
    },
  };
}
