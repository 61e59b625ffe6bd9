import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCheckSettings } from '../../src/config/check-settings.js';
import { basicAuthorization, credentialSecrets, resolveCredentials } from '../../src/config/credentials.js';
import {
  credentialsFromEnv,
  rawCredentialsFromEnv,
  readEnv,
  settingsFromEnv,
  targetsFromEnv,
} from '../../src/config/environment.js';
import { parseTtl } from '../../src/config/ttl.js';
import {
  givenPassphrase,
  validatePassphrase,
  validateRecipients,
  validateSecret,
} from '../../src/config/validate.js';
import { closeSharedAgent } from '../../src/http/undici-sender.js';
import { createClient } from '../../src/index.js';
import { USER_AGENT, VERSION } from '../../src/version.js';
import { rejection } from './rejection.js';

describe('parseTtl', () => {
  it.each([
    [3600, 3600],
    ['3600', 3600],
    [' 90s ', 90],
    ['30m', 1800],
    ['12H', 43_200],
    ['7d', 604_800],
    ['365d', 31_536_000],
  ])('%j is %d seconds', (input, seconds) => {
    expect(parseTtl(input)).toBe(seconds);
  });

  it.each([0, -5, 1.5, Number.NaN, '', '0', '-1', '1.5h', '10w', 'forever', '1h30m', '366d'])(
    'rejects %j naming the input and the allowed forms',
    (input) => {
      const error = rejection(() => parseTtl(input, 'ttl'));
      expect(error.input).toBe('ttl');
      expect(error.message).toMatch(/^ttl /);
      expect(error.message).toContain('30m, 12h, 7d');
    },
  );

  it('uses the given input name', () => {
    expect(rejection(() => parseTtl('x', 'OTS_TTL')).input).toBe('OTS_TTL');
  });
});

describe('local validation', () => {
  it('refuses an empty or oversized secret without echoing it', () => {
    expect(rejection(() => validateSecret('')).input).toBe('secret');
    const big = 'é'.repeat(5001); // 10 002 bytes in UTF-8, 5001 characters
    const error = rejection(() => validateSecret(big));
    expect(error.message).toContain('10002 bytes');
    expect(error.message).not.toContain('éé');
    expect(validateSecret('x'.repeat(10_000))).toHaveLength(10_000);
  });

  it('accepts passphrases of 4 to 128 characters, or none', () => {
    expect(validatePassphrase(undefined)).toBeUndefined();
    expect(validatePassphrase('')).toBeUndefined();
    expect(validatePassphrase('abcd')).toBe('abcd');
    expect(validatePassphrase('p'.repeat(128))).toHaveLength(128);
    for (const bad of ['abc', 'p'.repeat(129)]) {
      const error = rejection(() => validatePassphrase(bad));
      expect(error.input).toBe('passphrase');
      expect(error.message).toContain('4 to 128');
      expect(error.message).not.toContain(bad);
    }
  });

  it('sends a passphrase given to reveal or burn whatever its length (docs/ots-api.md 1.4.2)', () => {
    expect(givenPassphrase(undefined)).toBeUndefined();
    expect(givenPassphrase('')).toBeUndefined();
    expect(givenPassphrase('abc')).toBe('abc');
    expect(givenPassphrase('p'.repeat(200))).toHaveLength(200);
    expect(rejection(() => givenPassphrase(1234)).input).toBe('passphrase');
  });

  it('needs an account and email addresses for recipients', () => {
    expect(validateRecipients(undefined, false)).toEqual([]);
    expect(validateRecipients('a@example.com, b@example.com', true)).toEqual([
      'a@example.com',
      'b@example.com',
    ]);
    expect(rejection(() => validateRecipients('a@example.com', false)).message).toMatch(/needs an account/);
    expect(rejection(() => validateRecipients(['not-an-email'], true)).input).toBe('recipient');
  });
});

describe('credentials', () => {
  it('is anonymous with neither, and both with both', () => {
    expect(resolveCredentials({})).toBeUndefined();
    expect(resolveCredentials({ username: ' ', token: '' })).toBeUndefined();
    expect(resolveCredentials({ username: ' alice@example.com ', token: 'tok\n' })).toEqual({
      username: 'alice@example.com',
      token: 'tok',
    });
  });

  it('names the missing half and never the given token', () => {
    const noUser = rejection(() => resolveCredentials({ token: 's3cr3t-token' }));
    expect(noUser.input).toBe('username');
    expect(noUser.message).not.toContain('s3cr3t-token');
    const noToken = rejection(() => resolveCredentials({ username: 'alice@example.com' }));
    expect(noToken.input).toBe('token');
    expect(noToken.message).toBe(
      'username is set but token is not: set token to the API token of that account, or unset username for anonymous use.',
    );
  });

  it('refuses a username or token that cannot go in a Basic header, naming it', () => {
    const colon = rejection(() => resolveCredentials({ username: 'a:b@example.com', token: 'tok-1' }));
    expect(colon.input).toBe('username');
    expect(colon.message).toMatch(/must not contain ":" or line breaks/);
    const broken = rejection(() => resolveCredentials({ username: 'a@example.com', token: 's3cr\nt-9' }));
    expect(broken.input).toBe('token');
    expect(broken.message).not.toMatch(/s3cr|t-9/);
  });

  it('builds a pre-emptive Basic value', () => {
    const value = basicAuthorization({ username: 'alice@example.com', token: 't0k' });
    expect(value).toBe(`Basic ${Buffer.from('alice@example.com:t0k').toString('base64')}`);
  });

  it('gives what a pair puts on the wire, for masks: the token, the Basic value and its base64', () => {
    const basic = Buffer.from('alice@example.com:t0k3n').toString('base64');
    expect(credentialSecrets(' alice@example.com ', 't0k3n\n')).toEqual(['t0k3n', `Basic ${basic}`, basic]);
    expect(credentialSecrets(undefined, 't0k3n')).toEqual(['t0k3n']);
    expect(credentialSecrets('alice@example.com', ' ')).toEqual([]);
  });
});

describe('parseCheckSettings', () => {
  it('fills the defaults for unset or blank settings', () => {
    expect(parseCheckSettings({ timeout: ' ' })).toEqual({
      apiVersion: 'v2',
      timeoutMs: 10_000,
      degradedMs: 2000,
      depth: 'status',
      failOn: 'down',
    });
  });

  it('reads each setting by its rule', () => {
    const texts = { 'api-version': 'V1', timeout: '2.5', 'degraded-ms': '3600000', depth: 'roundtrip' };
    expect(parseCheckSettings({ ...texts, 'fail-on': 'never' })).toEqual({
      apiVersion: 'v1',
      timeoutMs: 2500,
      degradedMs: 3_600_000,
      depth: 'roundtrip',
      failOn: 'never',
    });
  });

  it.each([
    ['api-version', '2', /^--api-version is not allowed: use one of v2, v1, v3\.$/],
    ['timeout', '601', /^--timeout is not valid: .* at most 600/],
    ['degraded-ms', '3600001', /^--degraded-ms must be a whole number of milliseconds from 1 to 3600000/],
    ['depth', 'deep', /^--depth is not allowed: use one of status, roundtrip\.$/],
    ['fail-on', 'up', /^--fail-on is not allowed: use one of down, degraded, never\.$/],
  ] as const)('refuses a bad %s, naming it with the prefix', (name, text, message) => {
    const error = rejection(() => parseCheckSettings({ [name]: text }, '--'));
    expect(error.input).toBe(`--${name}`);
    expect(error.message).toMatch(message);
  });
});

describe('settingsFromEnv', () => {
  it('reads OTS_* variables', () => {
    expect(
      settingsFromEnv({ OTS_REGION: ' EU ', OTS_USERNAME: 'alice@example.com', OTS_TOKEN: 'tok' }),
    ).toEqual({ region: 'eu', username: 'alice@example.com', token: 'tok' });
    expect(settingsFromEnv({ OTS_DOMAIN: 'secrets.example.com/api' })).toEqual({
      domain: 'https://secrets.example.com',
    });
  });

  it('falls back to the Ruby client variables', () => {
    expect(
      settingsFromEnv({
        ONETIME_HOST: 'https://ca.onetimesecret.com/api/v1',
        ONETIME_CUSTID: 'bob@example.com',
        ONETIME_APIKEY: 'key',
      }),
    ).toEqual({ region: 'ca', username: 'bob@example.com', token: 'key' });
    expect(settingsFromEnv({ ONETIME_HOST: 'https://secrets.example.com' })).toEqual({
      domain: 'https://secrets.example.com',
    });
    expect(settingsFromEnv({ ONETIME_HOST: 'https://onetimesecret.com' })).toEqual({});
    expect(settingsFromEnv({ OTS_REGION: 'us', ONETIME_HOST: 'https://eu.onetimesecret.com' })).toEqual({
      region: 'us',
    });
  });

  it('names the variable at fault', () => {
    expect(rejection(() => settingsFromEnv({ OTS_REGION: 'mars' })).input).toBe('OTS_REGION');
    expect(rejection(() => settingsFromEnv({ OTS_DOMAIN: 'ftp://x.example.com' })).input).toBe('OTS_DOMAIN');
    expect(rejection(() => settingsFromEnv({ ONETIME_HOST: 'http://x.example.com' })).input).toBe(
      'ONETIME_HOST',
    );
    const half = rejection(() => settingsFromEnv({ OTS_TOKEN: 'tok-value' }));
    expect(half.input).toBe('OTS_USERNAME');
    expect(half.message).not.toContain('tok-value');
  });

  it('names the half of the credentials that is set, the one missing, and what to do', () => {
    expect(rejection(() => settingsFromEnv({ OTS_TOKEN: 'tok-value' })).message).toBe(
      'OTS_TOKEN is set but OTS_USERNAME (or ONETIME_CUSTID) is not: set OTS_USERNAME to the account ' +
        'email or customer id, or unset OTS_TOKEN for anonymous use.',
    );
    const custid = rejection(() => settingsFromEnv({ ONETIME_CUSTID: 'bob@example.com' }));
    expect(custid.input).toBe('OTS_TOKEN');
    expect(custid.message).toBe(
      'ONETIME_CUSTID is set but OTS_TOKEN (or ONETIME_APIKEY) is not: set OTS_TOKEN to the API token of ' +
        'that account, or unset ONETIME_CUSTID for anonymous use.',
    );
    expect(custid.message).not.toContain('bob@example.com');
  });

  it('does not read OTS_TARGETS: its settings are for one target', () => {
    expect(settingsFromEnv({ OTS_TARGETS: 'eu,us', ONETIME_HOST: 'https://ca.onetimesecret.com' })).toEqual({
      region: 'ca',
    });
  });

  it('names the variable of a username that cannot go in a Basic header', () => {
    const error = rejection(() =>
      settingsFromEnv({ ONETIME_CUSTID: 'bob:x@example.com', OTS_TOKEN: 'tok-1' }),
    );
    expect(error.input).toBe('ONETIME_CUSTID');
    expect(error.message).toMatch(/^ONETIME_CUSTID must not contain ":"/);
  });
});

describe('readEnv', () => {
  it('trims, and takes blank as unset', () => {
    expect(readEnv({ A: ' x \n' }, 'A')).toBe('x');
    expect(readEnv({ A: ' ' }, 'A')).toBeUndefined();
    expect(readEnv({}, 'A')).toBeUndefined();
  });
});

describe('targetsFromEnv: the one precedence', () => {
  const names = (env: Record<string, string>) => targetsFromEnv(env)?.map((t) => t.name);

  it.each([
    [{ OTS_TARGETS: 'eu us', OTS_DOMAIN: 'secrets.example.com' }, ['eu', 'us', 'secrets.example.com']],
    [{ OTS_TARGETS: 'nz', OTS_REGION: 'eu', ONETIME_HOST: 'https://ca.onetimesecret.com' }, ['nz']],
    [{ OTS_REGION: 'uk', OTS_DOMAIN: 'secrets.example.com' }, ['uk', 'secrets.example.com']],
    [{ OTS_REGION: 'eu', OTS_DOMAIN: 'https://eu.onetimesecret.com' }, ['eu']],
    [
      { OTS_DOMAIN: 'secrets.example.com', ONETIME_HOST: 'https://ca.onetimesecret.com' },
      ['secrets.example.com'],
    ],
    [{ ONETIME_HOST: 'https://us.onetimesecret.com/api/v2/' }, ['us']],
    [{ ONETIME_HOST: 'https://onetimesecret.com/api/v1' }, ['onetimesecret.com']],
  ])('%j gives %j', (env, expected) => {
    expect(names(env)).toEqual(expected);
  });

  it('gives nothing when no variable names a target, for the caller to choose its default', () => {
    expect(
      targetsFromEnv({ OTS_TARGETS: ' ', OTS_REGION: '', OTS_USERNAME: 'a@example.com' }),
    ).toBeUndefined();
  });

  it('names the variable at fault', () => {
    expect(rejection(() => targetsFromEnv({ OTS_TARGETS: 'eu europe' })).input).toBe('OTS_TARGETS');
    expect(
      rejection(() => targetsFromEnv({ OTS_TARGETS: 'eu', OTS_DOMAIN: 'ftp://x.example.com' })).input,
    ).toBe('OTS_DOMAIN');
    const region = rejection(() => targetsFromEnv({ OTS_REGION: 'mars', OTS_DOMAIN: 'secrets.example.com' }));
    expect(region.message).toMatch(/^OTS_REGION "mars" is not a region: use one of ca, eu, nz, uk, us/);
    expect(rejection(() => targetsFromEnv({ ONETIME_HOST: 'http://x.example.com' })).input).toBe(
      'ONETIME_HOST',
    );
  });

  it('allows http:// to a private host with OTS_ALLOW_HTTP or the caller’s own opt-in', () => {
    const env = { OTS_TARGETS: 'http://ots:3000' };
    expect(rejection(() => targetsFromEnv(env)).input).toBe('OTS_TARGETS');
    expect(names({ ...env, OTS_ALLOW_HTTP: 'true' })).toEqual(['ots:3000']);
    expect(targetsFromEnv(env, { allowHttp: true })?.map((t) => t.name)).toEqual(['ots:3000']);
  });
});

describe('credentialsFromEnv', () => {
  it('takes OTS_* over ONETIME_*, both halves or neither', () => {
    expect(credentialsFromEnv({})).toEqual({});
    expect(
      credentialsFromEnv({
        OTS_USERNAME: 'a@example.com',
        ONETIME_CUSTID: 'b',
        OTS_TOKEN: 't1',
        ONETIME_APIKEY: 't2',
      }),
    ).toEqual({ username: 'a@example.com', token: 't1' });
    expect(credentialsFromEnv({ ONETIME_CUSTID: 'b@example.com', ONETIME_APIKEY: 't2' })).toEqual({
      username: 'b@example.com',
      token: 't2',
    });
  });

  it('lets a parameter variable stand in for the token, without returning its value as one', () => {
    const options = { tokenParameter: 'OTS_TOKEN_PARAMETER' };
    expect(
      credentialsFromEnv({ OTS_USERNAME: 'a@example.com', OTS_TOKEN_PARAMETER: '/ots/token' }, options),
    ).toEqual({
      username: 'a@example.com',
    });
    const half = rejection(() => credentialsFromEnv({ OTS_USERNAME: 'a@example.com' }, options));
    expect(half.input).toBe('OTS_TOKEN');
    expect(half.message).toBe(
      'OTS_USERNAME is set but OTS_TOKEN (or ONETIME_APIKEY, or OTS_TOKEN_PARAMETER) is not: set OTS_TOKEN ' +
        'to the API token of that account, or unset OTS_USERNAME for anonymous use.',
    );
    const noUser = rejection(() => credentialsFromEnv({ OTS_TOKEN_PARAMETER: '/ots/token' }, options));
    expect(noUser.input).toBe('OTS_USERNAME');
    expect(noUser.message).toMatch(
      /^OTS_TOKEN_PARAMETER is set but OTS_USERNAME \(or ONETIME_CUSTID\) is not/,
    );
  });

  it('gives the values as set, unchecked, for redaction', () => {
    expect(rawCredentialsFromEnv({ ONETIME_APIKEY: ' half-token ' })).toEqual({
      username: undefined,
      token: 'half-token',
    });
  });
});

describe('version', () => {
  afterAll(() => closeSharedAgent());

  it('matches package.json and is sent as the User-Agent', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(VERSION).toBe(pkg.version);
    expect(USER_AGENT).toBe(`onetime-kit/${pkg.version}`);

    // The sandbox does not log headers: a bare server on loopback records what arrives.
    const received: (string | undefined)[] = [];
    const server = createServer((request, response) => {
      received.push(request.headers['user-agent']);
      response.setHeader('content-type', 'application/json');
      response.end('{"status":"nominal"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      await createClient({ domain: `http://127.0.0.1:${port}` }).status();
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    expect(received).toEqual([`onetime-kit/${pkg.version}`]);
  });
});
