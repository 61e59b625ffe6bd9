/**
 * The CLI (`node --import tsx cli/index.ts`) and the committed action bundle (`node action/dist/index.js`,
 * as a runner runs it) through a real CONNECT proxy on loopback: the same private host as
 * library.test.ts, reachable only through the proxy, over TLS trusted with NODE_EXTRA_CA_CERTS.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/index.js';
import { actionDefaults, BUNDLE, parseOutputFile } from '../action/harness.js';
import { ALICE, startTestSandbox } from '../core/helpers.js';
import {
  closedPort,
  type NodeRun,
  PRIVATE_HOST,
  runNode,
  startProxy,
  startTlsFront,
  type TestProxy,
  type TlsFront,
} from './helpers.js';

const PASSWORD = 'proxy-pass-S3cr3t';

let sandbox: Sandbox;
let front: TlsFront;
let proxy: TestProxy;
let domain: string;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  front = await startTlsFront(sandbox.port);
  proxy = await startProxy({ PROXY_AUTH: `alice:${PASSWORD}` });
  domain = `https://${PRIVATE_HOST}:${front.port}`;
});
afterAll(async () => {
  proxy.stop();
  await front.stop();
  await sandbox.stop();
});

const proxyUrl = () => `http://alice:${PASSWORD}@127.0.0.1:${proxy.port}`;

function ots(args: string[], env: Record<string, string>, stdin = ''): Promise<NodeRun> {
  return runNode(['--import', 'tsx', 'cli/index.ts', ...args], env, stdin);
}

async function action(inputs: Record<string, string>, env: Record<string, string>) {
  const dir = await mkdtemp(join(tmpdir(), 'ots-proxy-action-'));
  const output = join(dir, 'output');
  const summary = join(dir, 'summary');
  await Promise.all([writeFile(output, ''), writeFile(summary, '')]);
  const variables: Record<string, string> = { GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, ...env };
  for (const [name, value] of Object.entries({ ...(await actionDefaults()), ...inputs })) {
    variables[`INPUT_${name.toUpperCase()}`] = value;
  }
  try {
    const run = await runNode([BUNDLE], variables);
    return {
      ...run,
      outputs: parseOutputFile(await readFile(output, 'utf8')),
      summary: await readFile(summary, 'utf8'),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function expectNoCredentials(text: string): void {
  for (const form of [PASSWORD, Buffer.from(`alice:${PASSWORD}`).toString('base64')]) {
    expect(text).not.toContain(form);
  }
}

describe('the CLI through HTTPS_PROXY', () => {
  it('shares and reveals through the proxy, with an account', async () => {
    const env = {
      HTTPS_PROXY: proxyUrl(),
      NODE_EXTRA_CA_CERTS: front.caFile,
      OTS_USERNAME: ALICE.username,
      OTS_TOKEN: ALICE.token,
    };
    const before = proxy.lines().length;
    const shared = await ots(['share', '--domain', domain, '--json'], env, 'through-the-tunnel\n');
    expect(shared.code).toBe(0);
    const { secretUrl } = JSON.parse(shared.stdout);
    const revealed = await ots(['reveal', secretUrl, '--domain', domain], env);
    expect(revealed.stdout.trim()).toBe('through-the-tunnel');
    expect(proxy.lines().slice(before)).toEqual([
      `CONNECT ${PRIVATE_HOST}:${front.port}`,
      `CONNECT ${PRIVATE_HOST}:${front.port}`,
    ]);
    expectNoCredentials(shared.stdout + shared.stderr + revealed.stdout + revealed.stderr);
  });

  it('without the proxy the private host is unreachable (the control)', async () => {
    const run = await ots(['status', '--domain', domain], { NODE_EXTRA_CA_CERTS: front.caFile });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('ENOTFOUND');
  });

  it('names an unreachable proxy by its origin, never its credentials, and exits 1', async () => {
    const port = await closedPort();
    const run = await ots(['status', '--domain', domain], {
      HTTPS_PROXY: `http://alice:${PASSWORD}@127.0.0.1:${port}`,
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`Could not reach the proxy http://127.0.0.1:${port} (ECONNREFUSED)`);
    expectNoCredentials(run.stdout + run.stderr);
  });

  it('NO_PROXY sends a loopback sandbox directly', async () => {
    const port = await closedPort();
    const run = await ots(['status', '--domain', sandbox.url], {
      HTTP_PROXY: `http://127.0.0.1:${port}`,
      NO_PROXY: '127.0.0.1',
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('nominal');
  });
});

describe('the action bundle through HTTPS_PROXY', () => {
  it('checks the private host through the proxy', async () => {
    const before = proxy.lines().length;
    const run = await action(
      { operation: 'status', domain },
      { HTTPS_PROXY: proxyUrl(), NODE_EXTRA_CA_CERTS: front.caFile },
    );
    expect(run.outputs.status).toBe('nominal');
    expect(run.code).toBe(0);
    expect(proxy.lines().slice(before)).toEqual([`CONNECT ${PRIVATE_HOST}:${front.port}`]);
    expectNoCredentials(run.stdout + run.stderr + run.summary + JSON.stringify(run.outputs));
  });

  it('a refused tunnel fails the step naming the proxy, never its credentials', async () => {
    const run = await action(
      { operation: 'status', domain },
      { HTTPS_PROXY: `http://alice:wrong@127.0.0.1:${proxy.port}`, NODE_EXTRA_CA_CERTS: front.caFile },
    );
    expect(run.code).toBe(1);
    expect(run.outputs.status).toBe('down');
    expect(run.outputs.results).toContain(`The proxy http://127.0.0.1:${proxy.port} refused the tunnel`);
    expect(run.stdout + run.stderr + run.summary).not.toContain('alice:wrong');
    expect(run.stdout + run.stderr + run.summary).not.toContain(
      Buffer.from('alice:wrong').toString('base64'),
    );
  });

  it('NO_PROXY sends a loopback sandbox directly', async () => {
    const port = await closedPort();
    const run = await action(
      { operation: 'status', domain: sandbox.url },
      {
        HTTPS_PROXY: `http://127.0.0.1:${port}`,
        HTTP_PROXY: `http://127.0.0.1:${port}`,
        no_proxy: 'localhost,127.0.0.1',
      },
    );
    expect(run.outputs.status).toBe('nominal');
  });
});
