/** A plain HTTP client for the sandbox tests: undici `request` over a dedicated keep-alive Agent. */
import { Agent, request } from 'undici';
import { afterAll, beforeAll } from 'vitest';
import { type Sandbox, type SandboxOptions, startSandbox } from '../../sandbox/index.js';

export const ACCOUNT = { username: 'alice@example.com', token: 'alice-token-123' };
export const OTHER_ACCOUNT = { username: 'bob@example.com', token: 'bob-token-456' };
export const FREE_ACCOUNT = { username: 'free@example.com', token: 'free-token-789', plan: 'free' as const };

export function basic(username: string, token: string): string {
  return `Basic ${Buffer.from(`${username}:${token}`).toString('base64')}`;
}

export const ALICE = basic(ACCOUNT.username, ACCOUNT.token);
export const BOB = basic(OTHER_ACCOUNT.username, OTHER_ACCOUNT.token);
export const FREE = basic(FREE_ACCOUNT.username, FREE_ACCOUNT.token);

export interface CallOptions {
  method?: string;
  /** Host header to send (default: the sandbox's own address). */
  host?: string;
  /** Raw Authorization header value. */
  auth?: string;
  form?: Record<string, string | string[]> | string;
  json?: unknown;
  /** A raw body, with `contentType`. */
  body?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests poke into JSON freely.
  json: any;
}

function formText(form: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(form)) {
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, item);
  }
  return params.toString();
}

export interface TestClient {
  call(path: string, options?: CallOptions): Promise<Reply>;
  agent: Agent;
  close(): Promise<void>;
}

export function client(baseUrl: string, agentOptions: Agent.Options = {}): TestClient {
  const agent = new Agent({ keepAliveTimeout: 10_000, ...agentOptions });
  async function call(path: string, options: CallOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | Buffer | undefined;
    if (options.host) headers.host = options.host;
    if (options.auth !== undefined) headers.authorization = options.auth;
    if (options.form !== undefined) {
      body = typeof options.form === 'string' ? options.form : formText(options.form);
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] = 'application/json';
    } else if (options.body !== undefined) {
      body = options.body;
      if (options.contentType) headers['content-type'] = options.contentType;
    }
    const method = (options.method ?? (body === undefined ? 'GET' : 'POST')) as 'GET';
    const response = await request(`${baseUrl}${path}`, { method, headers, body, dispatcher: agent });
    const text = await response.body.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.statusCode, headers: response.headers, text, json };
  }
  return { call, agent, close: () => agent.close() };
}

/** Starts a sandbox with the test accounts and a client bound to it. */
export async function startWithClient(
  options: SandboxOptions = {},
): Promise<{ sandbox: Sandbox; http: TestClient; call: TestClient['call'] }> {
  const sandbox = await startSandbox({ accounts: [ACCOUNT, OTHER_ACCOUNT, FREE_ACCOUNT], ...options });
  const http = client(sandbox.url);
  return { sandbox, http, call: http.call };
}

type Started = Awaited<ReturnType<typeof startWithClient>>;

/** One sandbox and client for the file, handed to `use` once started; both closed after the last test. */
export function useSandboxWithClient(use: (started: Started) => void): void {
  let started: Started;
  beforeAll(async () => {
    started = await startWithClient();
    use(started);
  });
  afterAll(async () => {
    await started.http.close();
    await started.sandbox.stop();
  });
}

/** A clock tests can move. */
export function manualClock(start = Date.UTC(2026, 10, 1)): { now: () => number; advance(ms: number): void } {
  let current = start;
  return {
    now: () => current,
    advance: (ms: number) => {
      current += ms;
    },
  };
}
