import { describe, expect, it } from 'vitest';
import type { Flags } from '../../cli/flags.js';
import { Redactor } from '../../cli/redact.js';
import { clientOptions, statusTargets } from '../../cli/settings.js';
import { createClient, parseCheckSettings } from '../../src/index.js';
import type { Logger } from '../../src/types.js';

const flags = (overrides: Partial<Flags> = {}): Flags => ({
  ...parseCheckSettings({}),
  json: false,
  recipients: [],
  ...overrides,
});

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, warn: (m) => lines.push(m), info: (m) => lines.push(m) };
}

describe('clientOptions', () => {
  it('lets flags replace the environment target whole', () => {
    const env = { OTS_DOMAIN: 'secrets.example.com' };
    const options = clientOptions(flags({ region: 'eu' }), env, recordingLogger(), new Redactor());
    expect(options.target).toMatchObject({ kind: 'region', name: 'eu' });
  });

  it('calls the region of a link when no target is configured, without the default-host warning', () => {
    const logger = recordingLogger();
    const key = { key: 'https://eu.onetimesecret.com/secret/abcd1234efgh', kind: 'secret' as const };
    const options = clientOptions(flags(), {}, logger, new Redactor(), key);
    expect(options.target?.name).toBe('eu');
    expect(createClient(options).target.name).toBe('eu');
    expect(logger.lines).toEqual([]);
  });

  it('leaves a configured target alone, and bare keys to the default host', () => {
    const key = { key: 'https://eu.onetimesecret.com/secret/abcd1234efgh', kind: 'secret' as const };
    const configured = clientOptions(flags({ region: 'us' }), {}, recordingLogger(), new Redactor(), key);
    expect(configured.target?.name).toBe('us');
    const bare = { key: 'abcd1234efgh', kind: 'secret' as const };
    const logger = recordingLogger();
    expect(clientOptions(flags(), {}, logger, new Redactor(), bare).target?.kind).toBe('default');
    expect(logger.lines.join()).toMatch(/default host onetimesecret\.com/);
  });

  it('registers the token and its Basic value for redaction', () => {
    const redactor = new Redactor();
    clientOptions(
      flags(),
      { OTS_USERNAME: 'u@example.com', OTS_TOKEN: 'tok-secret-1' },
      recordingLogger(),
      redactor,
    );
    const basic = Buffer.from('u@example.com:tok-secret-1').toString('base64');
    expect(redactor.redact(`a tok-secret-1 b Basic ${basic} c`)).toBe('a *** b *** c');
  });
});

describe('statusTargets', () => {
  it('uses arguments and --region lists, plus --domain as one more', () => {
    const targets = statusTargets(
      ['eu', 'us'],
      flags({ region: 'ca,eu', domain: 'secrets.example.com' }),
      {},
      recordingLogger(),
    );
    expect(targets.map((t) => t.name)).toEqual(['eu', 'us', 'ca', 'secrets.example.com']);
  });

  it('expands all to the five regions', () => {
    expect(statusTargets(['all'], flags(), {}, recordingLogger()).map((t) => t.name)).toEqual([
      'ca',
      'eu',
      'nz',
      'uk',
      'us',
    ]);
  });

  it('falls back to OTS_REGION and OTS_DOMAIN, then the default host with a warning', () => {
    const env = { OTS_REGION: 'nz', OTS_DOMAIN: 'secrets.example.com' };
    expect(statusTargets([], flags(), env, recordingLogger()).map((t) => t.name)).toEqual([
      'nz',
      'secrets.example.com',
    ]);
    const logger = recordingLogger();
    expect(statusTargets([], flags(), {}, logger).map((t) => t.kind)).toEqual(['default']);
    expect(logger.lines.join()).toMatch(/default host onetimesecret\.com/);
  });

  it('reads the environment by the core precedence: OTS_TARGETS plus OTS_DOMAIN first, ONETIME_HOST last', () => {
    const names = (env: Record<string, string>, given = flags()) =>
      statusTargets([], given, env, recordingLogger()).map((t) => t.name);
    const env = { OTS_TARGETS: 'eu,us', OTS_DOMAIN: 'secrets.example.com', OTS_REGION: 'nz' };
    expect(names(env)).toEqual(['eu', 'us', 'secrets.example.com']);
    expect(names({ ONETIME_HOST: 'https://ca.onetimesecret.com/api/v1' })).toEqual(['ca']);
    // A flag replaces the environment's targets whole.
    expect(names(env, flags({ region: 'uk' }))).toEqual(['uk']);
  });

  it('names OTS_TARGETS when it is wrong', () => {
    expect(() => statusTargets([], flags(), { OTS_TARGETS: 'eu europe' }, recordingLogger())).toThrow(
      /^OTS_TARGETS "europe" is not a region/,
    );
  });
});
