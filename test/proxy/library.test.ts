/**
 * The library (the undici sender's shared agent) through a real CONNECT proxy on loopback. The target
 * `https://ots.test:<port>` resolves only inside the proxy's process, so a passing call went through
 * the proxy; TLS runs end to end through the tunnel, trusted with NODE_EXTRA_CA_CERTS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/index.js';
import { startTestSandbox } from '../core/helpers.js';
import {
  closedPort,
  PRIVATE_HOST,
  runNode,
  startProxy,
  startTlsFront,
  type TestProxy,
  type TlsFront,
} from './helpers.js';

const SCRIPT = ['--import', 'tsx', 'test/proxy/fixtures/library-call.ts'];
const PASSWORD = 'proxy-pass-S3cr3t';

let sandbox: Sandbox;
let front: TlsFront;
let proxy: TestProxy;
let guarded: TestProxy;
let domain: string;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  front = await startTlsFront(sandbox.port);
  proxy = await startProxy();
  guarded = await startProxy({ PROXY_AUTH: `alice:${PASSWORD}` });
  domain = `https://${PRIVATE_HOST}:${front.port}`;
});
afterAll(async () => {
  proxy.stop();
  guarded.stop();
  await front.stop();
  await sandbox.stop();
});

function calls(stdout: string): Array<{ status?: { status: string }; error?: { message: string } }> {
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

describe('the library through HTTPS_PROXY', () => {
  it('cannot reach the private host directly (the control: the route exists only through the proxy)', async () => {
    const run = await runNode([...SCRIPT, domain], { NODE_EXTRA_CA_CERTS: front.caFile });
    const [first] = calls(run.stdout);
    expect(first?.error?.message).toContain(`Could not reach ${PRIVATE_HOST}:${front.port} (ENOTFOUND)`);
    expect(run.stderr).toContain(`LOOPBACK-GUARD: refused to resolve ${PRIVATE_HOST}`);
  });

  it('reaches it through the proxy, TLS end to end, both calls in one kept-alive tunnel', async () => {
    const before = proxy.lines().length;
    const run = await runNode([...SCRIPT, domain], {
      HTTPS_PROXY: proxy.url,
      NODE_EXTRA_CA_CERTS: front.caFile,
    });
    expect(calls(run.stdout)).toEqual([
      { status: expect.objectContaining({ status: 'nominal' }) },
      {
        status: expect.objectContaining({ status: 'nominal' }),
      },
    ]);
    expect(proxy.lines().slice(before)).toEqual([`CONNECT ${PRIVATE_HOST}:${front.port}`]);
    expect(run.stderr).not.toContain('LOOPBACK-GUARD');
  });

  it('reads the lower-case https_proxy too', async () => {
    const run = await runNode([...SCRIPT, domain], {
      https_proxy: proxy.url,
      NODE_EXTRA_CA_CERTS: front.caFile,
    });
    expect(calls(run.stdout)[0]?.status?.status).toBe('nominal');
  });

  it('refuses a certificate it does not trust, through the tunnel as directly', async () => {
    const run = await runNode([...SCRIPT, domain], { HTTPS_PROXY: proxy.url });
    const message = calls(run.stdout)[0]?.error?.message ?? '';
    expect(message).toContain(`Could not reach ${PRIVATE_HOST}:${front.port} (DEPTH_ZERO_SELF_SIGNED_CERT)`);
    expect(message).not.toContain('proxy http');
  });

  it('sends the proxy credentials of the URL, and never shows them', async () => {
    const run = await runNode([...SCRIPT, domain], {
      HTTPS_PROXY: `http://alice:${PASSWORD}@127.0.0.1:${guarded.port}`,
      NODE_EXTRA_CA_CERTS: front.caFile,
    });
    expect(calls(run.stdout)[0]?.status?.status).toBe('nominal');
  });

  it('names a proxy that refuses the tunnel by its origin, without its credentials', async () => {
    const run = await runNode([...SCRIPT, domain], {
      HTTPS_PROXY: `http://alice:wrong-${PASSWORD}@127.0.0.1:${guarded.port}`,
      NODE_EXTRA_CA_CERTS: front.caFile,
    });
    const message = calls(run.stdout)[0]?.error?.message ?? '';
    expect(message).toContain(
      `The proxy http://127.0.0.1:${guarded.port} refused the tunnel to ${PRIVATE_HOST}`,
    );
    expect(message).toContain('HTTP 407');
    expectNoCredentials(run.stdout + run.stderr, `alice:wrong-${PASSWORD}`);
  });

  it('names an unreachable proxy by its origin, not the target, without its credentials', async () => {
    const port = await closedPort();
    const run = await runNode([...SCRIPT, domain], {
      HTTPS_PROXY: `http://alice:${PASSWORD}@127.0.0.1:${port}`,
    });
    const message = calls(run.stdout)[0]?.error?.message ?? '';
    expect(message).toContain(`Could not reach the proxy http://127.0.0.1:${port} (ECONNREFUSED)`);
    expectNoCredentials(run.stdout + run.stderr, `alice:${PASSWORD}`);
  });

  it('says which variable is malformed without echoing it', async () => {
    const run = await runNode([...SCRIPT, domain], { HTTPS_PROXY: `http://alice:${PASSWORD}@[bad` });
    const message = calls(run.stdout)[0]?.error?.message ?? '';
    expect(message).toContain('HTTPS_PROXY is not a valid URL');
    expectNoCredentials(run.stdout + run.stderr, `alice:${PASSWORD}`);
  });
});

describe('NO_PROXY', () => {
  it.each(['NO_PROXY', 'no_proxy'])(
    '%s sends a listed host directly, past a proxy that would fail',
    async (name) => {
      const port = await closedPort();
      const run = await runNode([...SCRIPT, sandbox.url], {
        HTTP_PROXY: `http://127.0.0.1:${port}`,
        HTTPS_PROXY: `http://127.0.0.1:${port}`,
        [name]: `example.org, 127.0.0.1:${sandbox.port}`,
      });
      expect(calls(run.stdout)[0]?.status?.status).toBe('nominal');
    },
  );

  it('proxies a host that is not listed (an entry for another port does not match)', async () => {
    const before = proxy.lines().length;
    const run = await runNode([...SCRIPT, domain], {
      HTTPS_PROXY: proxy.url,
      NO_PROXY: `${PRIVATE_HOST}:1, other.test`,
      NODE_EXTRA_CA_CERTS: front.caFile,
    });
    expect(calls(run.stdout)[0]?.status?.status).toBe('nominal');
    expect(proxy.lines().slice(before)).toEqual([`CONNECT ${PRIVATE_HOST}:${front.port}`]);
  });
});

/** The credentials, raw, percent-encoded or as the Basic value, appear nowhere. */
function expectNoCredentials(text: string, userAndPassword: string): void {
  const [, password = ''] = userAndPassword.split(':');
  for (const form of [
    password,
    encodeURIComponent(password),
    Buffer.from(userAndPassword).toString('base64'),
  ]) {
    expect(text).not.toContain(form);
  }
}
