/**
 * The proxy tests' parts, all real and on loopback: a CONNECT proxy in its own process
 * (fixtures/proxy-server.mjs, the only process that can resolve `*.test`), a TLS front for the sandbox
 * with a self-signed certificate for `ots.test` (made by openssl for the run), and child processes
 * with a chosen environment, preloaded with the loopback guard (only loopback names resolve).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const GUARD = join(ROOT, 'test/action/fixtures/loopback-only.mjs');
/** The host name only the proxy can reach. */
export const PRIVATE_HOST = 'ots.test';

export interface TestProxy {
  url: string;
  port: number;
  /** `CONNECT host:port` / `FORWARD url` lines, one per tunnel or forwarded request. */
  lines: () => string[];
  stop: () => void;
}

export function startProxy(env: Record<string, string> = {}): Promise<TestProxy> {
  const child = spawn(process.execPath, [join(ROOT, 'test/proxy/fixtures/proxy-server.mjs')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const port = /^LISTENING (\d+)$/m.exec(output)?.[1];
      if (port === undefined) return;
      resolve({
        url: `http://127.0.0.1:${port}`,
        port: Number(port),
        lines: () => output.split('\n').filter((l) => /^(CONNECT|FORWARD) /.test(l)),
        stop: () => child.kill(),
      });
    });
  });
}

export interface TlsFront {
  port: number;
  /** The PEM file of the self-signed certificate, for NODE_EXTRA_CA_CERTS. */
  caFile: string;
  stop: () => Promise<void>;
}

/** TLS for `ots.test` in front of a plain server on `targetPort` (bytes relayed as they are). */
export async function startTlsFront(targetPort: number): Promise<TlsFront> {
  const dir = mkdtempSync(join(tmpdir(), 'ots-tls-'));
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      `/CN=${PRIVATE_HOST}`,
      '-addext',
      `subjectAltName=DNS:${PRIVATE_HOST}`,
    ],
    { stdio: 'ignore' },
  );
  const server = createTlsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (socket) => {
    const upstream = netConnect(targetPort, '127.0.0.1');
    socket.pipe(upstream).pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    caFile: cert,
    stop: async () => {
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A loopback port nothing listens on (taken, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface NodeRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `node --import <guard> ...args` with only PATH, HOME and `env` in its environment. */
export function runNode(
  args: string[],
  env: Record<string, string>,
  stdin = '',
  node = process.execPath,
): Promise<NodeRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, ['--import', GUARD, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(stdin);
  });
}
