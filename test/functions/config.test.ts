/**
 * Configuration from the environment, and secrets from SSM.
 *
 * SSM: Powertools Parameters cannot reach AWS here, so `@aws-lambda-powertools/parameters/ssm` is
 * mocked (only that boundary): `getParameter` returns what a SecureString would hold. Everything else
 * (handlers, core, sandbox over loopback) is real.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, readConfig } from '../../functions/config.js';
import { oncePerContainer } from '../../functions/config-values.js';
import { signGithub } from '../../functions/signature.js';
import { startSandbox } from '../../sandbox/index.js';
import type { Sandbox } from '../../sandbox/types.js';
import { captureOutput, lambdaContext, setEnv, statusEvent, webhookEvent } from './helpers.js';

const ssm = vi.hoisted(() => ({
  values: new Map<string, string>(),
  failure: undefined as Error | undefined,
}));
const getParameter = vi.hoisted(() => vi.fn());

vi.mock('@aws-lambda-powertools/parameters/ssm', () => ({ getParameter }));

type Handler = (
  event: APIGatewayProxyEventV2,
  context: ReturnType<typeof lambdaContext>,
) => Promise<APIGatewayProxyStructuredResultV2>;

const USERNAME = 'ops@example.com';
const TOKEN = 'tok-from-ssm-5ecret';

let sandbox: Sandbox;
let restoreEnv: (() => void) | undefined;
let output: ReturnType<typeof captureOutput>;

async function load(module: 'status' | 'webhook', env: Record<string, string>): Promise<Handler> {
  restoreEnv = setEnv({ OTS_TARGETS: sandbox.url, ...env });
  vi.resetModules();
  const loaded =
    module === 'status'
      ? await import('../../functions/status.js')
      : await import('../../functions/webhook.js');
  return loaded.handler as Handler;
}

beforeAll(async () => {
  sandbox = await startSandbox({ accounts: [{ username: USERNAME, token: TOKEN }] });
});

afterAll(async () => {
  await sandbox.stop();
});

beforeEach(() => {
  sandbox.resetStats();
  ssm.values.clear();
  ssm.failure = undefined;
  getParameter.mockReset();
  getParameter.mockImplementation(async (name: string) => {
    if (ssm.failure !== undefined) throw ssm.failure;
    return ssm.values.get(name);
  });
  output = captureOutput();
});

afterEach(() => {
  output.restore();
  restoreEnv?.();
  restoreEnv = undefined;
});

describe('readConfig', () => {
  it('has defaults: all five regions, v2, 2000 ms, 10 s, status depth, 30 s cache', () => {
    const config = readConfig({});
    expect(config.targets.map((t) => t.name)).toEqual(['ca', 'eu', 'nz', 'uk', 'us']);
    expect(config).toMatchObject({
      apiVersion: 'v2',
      degradedMs: 2000,
      timeoutMs: 10_000,
      depth: 'status',
      cacheSeconds: 30,
      token: { kind: 'none' },
      webhookSecret: { kind: 'none' },
      parameterMaxAgeSeconds: 300,
    });
  });

  it('reads every variable', () => {
    const config = readConfig({
      OTS_TARGETS: 'eu, us',
      OTS_DOMAIN: 'secrets.example.com',
      OTS_USERNAME: USERNAME,
      OTS_TOKEN_PARAMETER: '/onetime-kit/token',
      OTS_API_VERSION: 'V1',
      OTS_DEGRADED_MS: '500',
      OTS_TIMEOUT_MS: '3000',
      OTS_CHECK_DEPTH: 'roundtrip',
      OTS_STATUS_CACHE_SECONDS: '0',
      OTS_WEBHOOK_SECRET: 'a,b',
      POWERTOOLS_PARAMETERS_MAX_AGE: '60',
    });
    expect(config.targets.map((t) => t.name)).toEqual(['eu', 'us', 'secrets.example.com']);
    expect(config).toMatchObject({
      username: USERNAME,
      token: { kind: 'parameter', name: '/onetime-kit/token', variable: 'OTS_TOKEN_PARAMETER' },
      apiVersion: 'v1',
      degradedMs: 500,
      timeoutMs: 3000,
      depth: 'roundtrip',
      cacheSeconds: 0,
      webhookSecret: { kind: 'value', value: 'a,b' },
      parameterMaxAgeSeconds: 60,
    });
  });

  it('checks only OTS_DOMAIN when OTS_TARGETS is not set', () => {
    expect(readConfig({ OTS_DOMAIN: 'https://secrets.example.com/api' }).targets.map((t) => t.name)).toEqual([
      'secrets.example.com',
    ]);
  });

  const targetCases: [Record<string, string>, string[]][] = [
    [{ OTS_REGION: 'EU' }, ['eu']],
    [{ OTS_REGION: 'us', OTS_DOMAIN: 'secrets.example.com' }, ['us', 'secrets.example.com']],
    [{ ONETIME_HOST: 'https://uk.onetimesecret.com/api/v1' }, ['uk']],
    [{ ONETIME_HOST: 'https://secrets.example.com' }, ['secrets.example.com']],
    // OTS_TARGETS wins over OTS_REGION and ONETIME_HOST; OTS_REGION and OTS_DOMAIN over ONETIME_HOST.
    [{ OTS_TARGETS: 'nz', OTS_REGION: 'eu', ONETIME_HOST: 'https://ca.onetimesecret.com' }, ['nz']],
    [{ OTS_REGION: 'eu', ONETIME_HOST: 'https://ca.onetimesecret.com' }, ['eu']],
    [
      { OTS_DOMAIN: 'secrets.example.com', ONETIME_HOST: 'https://ca.onetimesecret.com' },
      ['secrets.example.com'],
    ],
    [{ OTS_TARGETS: ' ', OTS_REGION: '' }, ['ca', 'eu', 'nz', 'uk', 'us']],
  ];
  for (const [env, names] of targetCases) {
    it(`checks ${names.join(', ')} for ${JSON.stringify(env)}`, () => {
      expect(readConfig(env).targets.map((t) => t.name)).toEqual(names);
    });
  }

  it('shrinks the default timeout to fit the calls a check makes before the function times out', () => {
    expect(readConfig({}).timeoutMs).toBe(10_000);
    expect(readConfig({ OTS_TIMEOUT_MS: '15000' }).timeoutMs).toBe(15_000);
    const account = { OTS_USERNAME: USERNAME, OTS_TOKEN: TOKEN };
    expect(readConfig(account).timeoutMs).toBe(7500);
    expect(readConfig({ ...account, OTS_CHECK_DEPTH: 'roundtrip' }).timeoutMs).toBe(3000);
    expect(readConfig({ OTS_CHECK_DEPTH: 'roundtrip' }).timeoutMs).toBe(3750);
  });

  it('reads the Ruby client fallbacks ONETIME_CUSTID and ONETIME_APIKEY', () => {
    expect(readConfig({ ONETIME_CUSTID: USERNAME, ONETIME_APIKEY: TOKEN })).toMatchObject({
      username: USERNAME,
      token: { kind: 'value', value: TOKEN },
    });
  });

  const bad: [Record<string, string>, RegExp][] = [
    [{ OTS_TARGETS: 'europe' }, /^OTS_TARGETS .*(ca, eu, nz, uk, us)/],
    [{ OTS_TARGETS: 'ftp://example.com' }, /^OTS_TARGETS /],
    [{ OTS_DOMAIN: 'http://example.com' }, /^OTS_DOMAIN /],
    [{ OTS_API_VERSION: 'v4' }, /^OTS_API_VERSION is not allowed: use one of v2, v1, v3\./],
    [{ OTS_CHECK_DEPTH: 'deep' }, /^OTS_CHECK_DEPTH is not allowed: use one of status, roundtrip\./],
    [
      { OTS_DEGRADED_MS: '0' },
      /^OTS_DEGRADED_MS must be a whole number of milliseconds from 1 to 15000 \(got "0"\)/,
    ],
    [
      { OTS_DEGRADED_MS: '15001' },
      /^OTS_DEGRADED_MS must be a whole number of milliseconds from 1 to 15000 .*timeout/,
    ],
    [{ OTS_TIMEOUT_MS: '1.5' }, /^OTS_TIMEOUT_MS must be a whole number of milliseconds from 1 to 15000/],
    [{ OTS_TIMEOUT_MS: '0' }, /^OTS_TIMEOUT_MS must be a whole number of milliseconds from 1 to 15000/],
    // Too big for the function: the message says why (one call must end before the 20 s timeout).
    [
      { OTS_TIMEOUT_MS: '15001' },
      /^OTS_TIMEOUT_MS must be a whole number of milliseconds from 1 to 15000 \(got "15001"\): each check makes one call \(status\).*20 s timeout\.$/,
    ],
    // Huge numbers (once refused as "not a whole number") get the same range message.
    [
      { OTS_TIMEOUT_MS: '99999999999999999999' },
      /^OTS_TIMEOUT_MS must be a whole number of milliseconds from 1 to 15000 \(got/,
    ],
    [
      { OTS_TIMEOUT_MS: '3001', OTS_CHECK_DEPTH: 'roundtrip', OTS_USERNAME: USERNAME, OTS_TOKEN: TOKEN },
      /^OTS_TIMEOUT_MS must be a whole number of milliseconds from 1 to 3000 .*up to 5 calls in a row \(status, credential check, share, reveal, second reveal\)/,
    ],
    [
      { OTS_STATUS_CACHE_SECONDS: '-1' },
      /^OTS_STATUS_CACHE_SECONDS must be a whole number of seconds from 0 to 86400/,
    ],
    [
      { OTS_STATUS_CACHE_SECONDS: '86401' },
      /^OTS_STATUS_CACHE_SECONDS must be a whole number of seconds from 0 to 86400/,
    ],
    [
      { POWERTOOLS_PARAMETERS_MAX_AGE: '1e3' },
      /^POWERTOOLS_PARAMETERS_MAX_AGE must be a whole number of seconds from 0 to 86400/,
    ],
    [{ OTS_REGION: 'europe' }, /^OTS_REGION "europe" is not a region: use one of ca, eu, nz, uk, us/],
    [{ OTS_REGION: 'eu', OTS_DOMAIN: 'http://example.com' }, /^OTS_DOMAIN /],
    [{ ONETIME_HOST: 'http://example.com' }, /^ONETIME_HOST /],
    [{ OTS_TARGETS: 'eu', OTS_DOMAIN: 'ftp://example.com' }, /^OTS_DOMAIN /],
    [
      { OTS_USERNAME: USERNAME },
      /^OTS_USERNAME is set but OTS_TOKEN \(or ONETIME_APIKEY, or OTS_TOKEN_PARAMETER\) is not: set OTS_TOKEN /,
    ],
    [
      { OTS_TOKEN: TOKEN },
      /^OTS_TOKEN is set but OTS_USERNAME \(or ONETIME_CUSTID\) is not: set OTS_USERNAME/,
    ],
    [{ OTS_TOKEN_PARAMETER: '/x' }, /^OTS_TOKEN_PARAMETER is set but OTS_USERNAME .*is not/],
    [{ ONETIME_CUSTID: 'a:b@example.com', OTS_TOKEN: TOKEN }, /^ONETIME_CUSTID must not contain ":"/],
    [
      { OTS_USERNAME: USERNAME, OTS_TOKEN: TOKEN, OTS_TOKEN_PARAMETER: '/x' },
      /^OTS_TOKEN_PARAMETER and OTS_TOKEN are both set/,
    ],
    [
      { OTS_WEBHOOK_SECRET_PARAMETER: 'bad name!' },
      /^OTS_WEBHOOK_SECRET_PARAMETER is not an SSM parameter name/,
    ],
  ];
  for (const [env, message] of bad) {
    it(`refuses ${JSON.stringify(env)} with a message naming the variable`, () => {
      let error: unknown;
      try {
        readConfig(env);
      } catch (caught) {
        error = caught;
      }
      expect(error).toMatchObject({ name: 'ConfigError', message: expect.stringMatching(message) });
      expect((error as Error).message).not.toContain(TOKEN);
      expect((error as Error).message).not.toContain('pw@');
    });
  }
});

describe('secrets from SSM (Powertools Parameters, mocked at the AWS boundary)', () => {
  it('reads the token from OTS_TOKEN_PARAMETER with decryption and a 300 s cache', async () => {
    ssm.values.set('/onetime-kit/token', TOKEN);
    const handler = await load('status', {
      OTS_USERNAME: USERNAME,
      OTS_TOKEN_PARAMETER: '/onetime-kit/token',
    });
    const result = await handler(statusEvent(), lambdaContext());
    expect(result.statusCode).toBe(200);
    const report = JSON.parse(result.body ?? '{}') as {
      results: { auth?: string; serverVersion?: string }[];
    };
    expect(report.results[0]?.auth).toBe('ok');
    expect(report.results[0]?.serverVersion).toBe('0.26.11');
    expect(getParameter).toHaveBeenCalledWith('/onetime-kit/token', { decrypt: true, maxAge: 300 });
    expect(sandbox.requestLog.some((entry) => entry.authenticated)).toBe(true);
    expect(output.text()).not.toContain(TOKEN);
  });

  it('does not touch SSM when no parameter is configured', async () => {
    const handler = await load('status', {});
    expect((await handler(statusEvent(), lambdaContext())).statusCode).toBe(200);
    expect(getParameter).not.toHaveBeenCalled();
  });

  it('answers 500 naming the variable when the parameter cannot be read, and sends nothing', async () => {
    ssm.failure = Object.assign(new Error('Parameter /onetime-kit/token not found.'), {
      name: 'ParameterNotFound',
    });
    const handler = await load('status', {
      OTS_USERNAME: USERNAME,
      OTS_TOKEN_PARAMETER: '/onetime-kit/token',
    });
    const result = await handler(statusEvent(), lambdaContext());
    expect(result.statusCode).toBe(500);
    // The answer names the variable; the reason, which may quote a value, is in the log.
    expect(JSON.parse(result.body ?? '{}').error).toMatch(/OTS_TOKEN_PARAMETER is not valid/);
    expect(output.text()).toMatch(
      /OTS_TOKEN_PARAMETER names an SSM parameter that could not be read \(ParameterNotFound\)/,
    );
    expect(sandbox.requestLog).toHaveLength(0);

    // Not remembered: the next invocation tries SSM again and succeeds.
    ssm.failure = undefined;
    ssm.values.set('/onetime-kit/token', TOKEN);
    expect((await handler(statusEvent(), lambdaContext())).statusCode).toBe(200);
  });

  it('reads webhook secrets from OTS_WEBHOOK_SECRET_PARAMETER, comma-separated for rotation', async () => {
    ssm.values.set('/onetime-kit/webhook-secret', 'new-secret-1,old-secret-0');
    const handler = await load('webhook', { OTS_WEBHOOK_SECRET_PARAMETER: '/onetime-kit/webhook-secret' });
    const body = '{"targets":[]}'.replace('[]', `["${new URL(sandbox.url).host}"]`);
    for (const secret of ['new-secret-1', 'old-secret-0']) {
      const result = await handler(
        webhookEvent(body, { 'x-hub-signature-256': signGithub(secret, body) }),
        lambdaContext(),
      );
      expect(result.statusCode).toBe(200);
    }
    const wrong = await handler(
      webhookEvent(body, { 'x-hub-signature-256': signGithub('other', body) }),
      lambdaContext(),
    );
    expect(wrong.statusCode).toBe(401);
    expect(getParameter).toHaveBeenCalledWith('/onetime-kit/webhook-secret', { decrypt: true, maxAge: 300 });
    expect(output.text()).not.toMatch(/new-secret-1|old-secret-0/);
  });

  it('treats an empty webhook secret parameter as a configuration error (500, nothing runs)', async () => {
    ssm.values.set('/onetime-kit/webhook-secret', '  ');
    const handler = await load('webhook', { OTS_WEBHOOK_SECRET_PARAMETER: '/onetime-kit/webhook-secret' });
    const body = '{}';
    const result = await handler(
      webhookEvent(body, { 'x-hub-signature-256': signGithub('x', body) }),
      lambdaContext(),
    );
    expect(result.statusCode).toBe(500);
    expect(JSON.parse(result.body ?? '{}').error).toMatch(/OTS_WEBHOOK_SECRET_PARAMETER/);
    expect(sandbox.requestLog).toHaveLength(0);
  });
});

describe('OTS_API_VERSION v3', () => {
  it('is accepted without credentials', () => {
    expect(readConfig({ OTS_API_VERSION: 'v3' }).apiVersion).toBe('v3');
  });

  it('is refused with a token, naming the variable and why (session-only on the server)', () => {
    for (const env of [
      { OTS_API_VERSION: 'v3', OTS_USERNAME: 'a@example.com', OTS_TOKEN: 'secret-token-value' },
      { OTS_API_VERSION: 'v3', OTS_USERNAME: 'a@example.com', OTS_TOKEN_PARAMETER: '/ots/token' },
    ]) {
      expect(() => readConfig(env)).toThrow(ConfigError);
      expect(() => readConfig(env)).toThrow(
        /^OTS_API_VERSION v3 cannot be used with OTS_USERNAME and OTS_TOKEN.*browser session.*apiVersion v2/,
      );
      expect(() => readConfig(env)).not.toThrow(/secret-token-value/);
    }
  });
});

describe('oncePerContainer', () => {
  it('reads on the first call only, and keeps answering with what it read', () => {
    let reads = 0;
    const get = oncePerContainer((env) => {
      reads += 1;
      return env.OTS_X;
    });
    expect(get({ OTS_X: 'first' })).toBe('first');
    expect(get({ OTS_X: 'second' })).toBe('first');
    expect(reads).toBe(1);
  });

  it('remembers a ConfigError and throws it on every call, without reading again', () => {
    let reads = 0;
    const get = oncePerContainer(() => {
      reads += 1;
      throw new ConfigError('OTS_X', 'is not valid.');
    });
    expect(() => get({})).toThrow('OTS_X is not valid.');
    expect(() => get({})).toThrow('OTS_X is not valid.');
    expect(reads).toBe(1);
  });

  it('does not remember an error that is not a configuration error (a bug is not cached)', () => {
    let reads = 0;
    const get = oncePerContainer(() => {
      reads += 1;
      if (reads === 1) throw new TypeError('bug');
      return 'ok';
    });
    expect(() => get({})).toThrow(TypeError);
    expect(get({})).toBe('ok');
  });
});
