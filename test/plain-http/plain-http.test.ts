/**
 * The plain-http opt-in (docs/interfaces.md "Targets"): refused by default for anything but loopback; with the
 * opt-in, allowed for private hosts (a service container `http://ots:<port>`, private suffixes and
 * addresses) with a warning on every run; public names and addresses refused even then.
 * End to end: the CLI and the action bundle against the sandbox as `http://ots:<port>`, the name
 * resolving to loopback only in their own process (fixtures/ots-host.mjs).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTargets } from '../../functions/config-targets.js';
import type { Sandbox } from '../../sandbox/index.js';
import { checkStatus, createClient, parseDomain, parseTargets, settingsFromEnv } from '../../src/index.js';
import { actionDefaults, BUNDLE, parseOutputFile } from '../action/harness.js';
import { ALICE, silentLogger, startTestSandbox } from '../core/helpers.js';
import { ROOT, runNode } from '../proxy/helpers.js';

const HOST_FIXTURE = join(ROOT, 'test/plain-http/fixtures/ots-host.mjs');

describe('the scheme rule', () => {
  it.each([
    'http://ots:3000',
    'http://onetime-secret:3000/api',
    'http://ots.internal',
    'http://secrets.corp:8080',
    'http://ots.home.arpa',
    'http://10.0.0.5:3000',
    'http://172.20.0.3:3000',
    'http://192.168.1.10',
    'http://100.100.1.2',
    'http://[fd00::5]:3000',
  ])('refuses %s by default, allows it with allowHttp', (domain) => {
    expect(() => parseDomain(domain)).toThrow(
      /which is not a loopback host: use https:\/\/, or, for a self-hosted OTS/,
    );
    const target = parseDomain(domain, 'domain', { allowHttp: true });
    expect(target.origin.startsWith('http://')).toBe(true);
    expect(target.apiBase).toBe(`${target.origin}/api`);
  });

  it.each([
    'http://example.com',
    'http://secrets.example.com:8080',
    'http://eu.onetimesecret.com',
    'http://onetimesecret.com',
    'http://8.8.8.8',
    'http://172.32.0.1',
    'http://[2001:db8::1]',
  ])('refuses %s even with allowHttp (a public name or address)', (domain) => {
    expect(() => parseDomain(domain, 'domain', { allowHttp: true })).toThrow(
      /a public name or address: plain http is refused there even with allow-http/,
    );
  });

  it('keeps every other rule with the opt-in: user info, paths, other schemes', () => {
    expect(() => parseDomain('http://u:p@ots:3000', 'domain', { allowHttp: true })).toThrow(/user info/);
    expect(() => parseDomain('http://ots:3000/x', 'domain', { allowHttp: true })).toThrow(/has a path/);
    expect(() => parseDomain('ftp://ots', 'domain', { allowHttp: true })).toThrow(/scheme ftp/);
    // A single label without a scheme is still a mistyped region, not a host.
    expect(() => parseTargets('ots', { allowHttp: true })).toThrow(/is not a region/);
  });

  it('createClient warns on every client made with the opt-in; loopback gives no warning', () => {
    const logger = silentLogger();
    createClient({ domain: 'http://ots:3000', allowHttp: true, logger });
    createClient({ domain: 'http://ots:3000', allowHttp: true, logger });
    expect(logger.lines).toEqual([
      expect.stringMatching(
        /^allow-http: ots:3000 is reached over plain http:\/\/, so the token and every secret travel in clear text/,
      ),
      expect.stringMatching(/^allow-http: ots:3000/),
    ]);
    createClient({ domain: 'http://127.0.0.1:7143', logger });
    expect(logger.lines).toHaveLength(2);
  });

  it('checkStatus takes allowHttp for targets given as text, and warns', async () => {
    const logger = silentLogger();
    await expect(checkStatus('http://ots:1', { logger })).rejects.toThrow(/not a loopback host/);
    const report = await checkStatus('http://ots:1', { allowHttp: true, logger, timeoutMs: 200 });
    expect(report.results[0]?.target).toBe('ots:1');
    expect(logger.lines[0]).toMatch(/^allow-http: ots:1/);
  });

  it('OTS_ALLOW_HTTP=true for the environment, the functions included; anything but true/false is an error', () => {
    expect(settingsFromEnv({ OTS_DOMAIN: 'http://ots:3000', OTS_ALLOW_HTTP: 'true' })).toEqual({
      allowHttp: true,
      domain: 'http://ots:3000',
    });
    expect(() => settingsFromEnv({ OTS_DOMAIN: 'http://ots:3000' })).toThrow(/^OTS_DOMAIN uses http:\/\//);
    expect(readTargets({ OTS_TARGETS: 'http://ots:3000', OTS_ALLOW_HTTP: 'TRUE' })[0]?.origin).toBe(
      'http://ots:3000',
    );
    expect(() => readTargets({ OTS_DOMAIN: 'http://ots:3000' })).toThrow(/OTS_DOMAIN/);
    expect(() => readTargets({ OTS_DOMAIN: 'http://ots:3000', OTS_ALLOW_HTTP: 'yes' })).toThrow(
      /OTS_ALLOW_HTTP must be true or false/,
    );
  });
});

describe('end to end against http://ots:<port>', () => {
  let sandbox: Sandbox;
  let domain: string;
  beforeAll(async () => {
    sandbox = await startTestSandbox();
    domain = `http://ots:${sandbox.port}`;
  });
  afterAll(() => sandbox.stop());

  const ots = (args: string[], env: Record<string, string> = {}, stdin = '') =>
    runNode(['--import', HOST_FIXTURE, '--import', 'tsx', 'cli/index.ts', ...args], env, stdin);

  it('the CLI refuses it without --allow-http (exit 2, nothing sent)', async () => {
    const before = sandbox.requestLog.length;
    const run = await ots(['status', '--domain', domain]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--allow-http');
    expect(sandbox.requestLog.length).toBe(before);
  });

  it('the CLI shares and reveals with --allow-http, warning each run', async () => {
    const env = { OTS_USERNAME: ALICE.username, OTS_TOKEN: ALICE.token };
    const shared = await ots(['share', '--domain', domain, '--allow-http', '--json'], env, 'over-http\n');
    expect(shared.code).toBe(0);
    expect(shared.stderr).toContain(`allow-http: ots:${sandbox.port} is reached over plain http://`);
    const { secretUrl } = JSON.parse(shared.stdout);
    expect(secretUrl.startsWith(`${domain}/secret/`)).toBe(true);
    const revealed = await ots(['reveal', secretUrl, '--allow-http', '--domain', domain], env);
    expect(revealed.stdout.trim()).toBe('over-http');
    expect(revealed.stderr).toContain('allow-http:');
  });

  it('the CLI takes OTS_DOMAIN with OTS_ALLOW_HTTP=true', async () => {
    const run = await ots(['status'], { OTS_DOMAIN: domain, OTS_ALLOW_HTTP: 'true' });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('nominal');
  });

  async function action(inputs: Record<string, string>) {
    const dir = await mkdtemp(join(tmpdir(), 'ots-http-action-'));
    const output = join(dir, 'output');
    const summary = join(dir, 'summary');
    await Promise.all([writeFile(output, ''), writeFile(summary, '')]);
    const env: Record<string, string> = { GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary };
    for (const [name, value] of Object.entries({ ...(await actionDefaults()), ...inputs })) {
      env[`INPUT_${name.toUpperCase()}`] = value;
    }
    try {
      const run = await runNode(['--import', HOST_FIXTURE, BUNDLE], env);
      return { ...run, outputs: parseOutputFile(await readFile(output, 'utf8')) };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  it('the action refuses it by default, naming allow-http', async () => {
    const run = await action({ operation: 'status', domain });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/::error.*allow-http \(action\)/);
    expect(run.outputs.status).toBeUndefined();
  });

  it('the action checks it with allow-http: true, with a warning', async () => {
    const run = await action({ operation: 'status', domain, 'allow-http': 'true' });
    expect(run.outputs.status).toBe('nominal');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/::warning::allow-http: ots:\d+ is reached over plain http/);
  });

  it('the action refuses a value of allow-http that is not true or false', async () => {
    const run = await action({ operation: 'status', domain, 'allow-http': 'yes' });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('allow-http must be true or false');
  });
});
