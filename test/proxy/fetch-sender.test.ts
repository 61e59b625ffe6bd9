/**
 * The fetch sender (onetime-kit/fetch, which the Lambda functions use) sends with the runtime's own
 * fetch, so a proxy is the runtime's business: Node 24 (the nodejs24.x runtime) honours HTTPS_PROXY /
 * HTTP_PROXY / NO_PROXY in fetch only with NODE_USE_ENV_PROXY=1. Run on a real Node 24 taken from the
 * npm cache (`npx --offline`, never the network); skipped, saying so, when there is none.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/index.js';
import { startTestSandbox } from '../core/helpers.js';
import {
  PRIVATE_HOST,
  runNode,
  startProxy,
  startTlsFront,
  type TestProxy,
  type TlsFront,
} from './helpers.js';

function cachedNode24(): string | undefined {
  try {
    const path = execFileSync(
      'npx',
      ['--offline', '-y', '-p', 'node@24', '--', 'node', '-p', 'process.execPath'],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 60_000,
      },
    ).trim();
    return execFileSync(path, ['--version'], { encoding: 'utf8' }).startsWith('v24.') ? path : undefined;
  } catch {
    return undefined;
  }
}

const node24 = cachedNode24();
if (!node24)
  console.warn('fetch-sender.test.ts: no Node 24 in the npm cache (npx -p node@24 once to add it): skipped.');

let sandbox: Sandbox;
let front: TlsFront;
let proxy: TestProxy;
let domain: string;

describe.skipIf(!node24)('onetime-kit/fetch on Node 24 through HTTPS_PROXY', () => {
  beforeAll(async () => {
    sandbox = await startTestSandbox();
    front = await startTlsFront(sandbox.port);
    proxy = await startProxy();
    domain = `https://${PRIVATE_HOST}:${front.port}`;
  });
  afterAll(async () => {
    proxy.stop();
    await front.stop();
    await sandbox.stop();
  });

  const call = (env: Record<string, string>) =>
    runNode(
      ['--import', 'tsx', 'test/proxy/fixtures/library-call.ts', domain, 'fetch'],
      {
        NODE_EXTRA_CA_CERTS: front.caFile,
        ...env,
      },
      '',
      node24,
    );

  it('goes through the proxy with NODE_USE_ENV_PROXY=1, TLS end to end', async () => {
    const before = proxy.lines().length;
    const run = await call({ NODE_USE_ENV_PROXY: '1', HTTPS_PROXY: proxy.url });
    expect(JSON.parse(run.stdout.split('\n')[0] ?? '{}').status?.status).toBe('nominal');
    expect(proxy.lines().slice(before)).toEqual([`CONNECT ${PRIVATE_HOST}:${front.port}`]);
  });

  it('ignores HTTPS_PROXY without NODE_USE_ENV_PROXY (so the guide says to set both)', async () => {
    const run = await call({ HTTPS_PROXY: proxy.url });
    expect(run.stdout).toContain('ENOTFOUND');
  });
});
