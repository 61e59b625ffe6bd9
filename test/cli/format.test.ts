import { describe, expect, it } from 'vitest';
import { formatDuration, formatSecretResult, formatStatus, table } from '../../cli/format.js';
import { statusExitCode } from '../../cli/verdict.js';
import type { StatusReport, TargetStatus } from '../../src/types.js';

function result(overrides: Partial<TargetStatus>): TargetStatus {
  return {
    target: 'eu',
    url: 'https://eu.onetimesecret.com/api/v2/status',
    state: 'nominal',
    httpStatus: 200,
    latencyMs: 42.4,
    message: 'nominal',
    checkedAt: '2026-11-01T00:00:00.000Z',
    ...overrides,
  };
}

function report(results: TargetStatus[], state: StatusReport['state']): StatusReport {
  return { state, results, checkedAt: '2026-11-01T00:00:00.000Z' };
}

describe('formatDuration', () => {
  it('says a TTL in its two largest units', () => {
    expect(formatDuration(3600)).toBe('1h');
    expect(formatDuration(90)).toBe('1m 30s');
    expect(formatDuration(604_800)).toBe('7d');
    expect(formatDuration(90_061)).toBe('1d 1h');
    expect(formatDuration(0)).toBe('0s');
  });
});

describe('table', () => {
  it('aligns columns and leaves no trailing spaces', () => {
    expect(
      table(
        ['A', 'BB'],
        [
          ['xxx', ''],
          ['y', 'z'],
        ],
      ),
    ).toBe('A    BB\nxxx\ny    z\n');
  });
});

describe('formatStatus', () => {
  it('prints one row per target and the overall line', () => {
    const text = formatStatus(
      report(
        [
          result({}),
          result({
            target: 'us',
            state: 'down',
            httpStatus: null,
            latencyMs: null,
            message: 'connection refused',
          }),
        ],
        'down',
      ),
    );
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^TARGET\s+STATE\s+LATENCY\s+HTTP\s+NOTE$/);
    expect(lines[1]).toMatch(/^eu\s+nominal\s+42 ms\s+200$/);
    expect(lines[2]).toMatch(/^us\s+down\s+-\s+-\s+connection refused$/);
    expect(text).toContain('overall: down (1 nominal, 1 down)');
  });

  it('adds the auth and roundtrip columns when they were checked', () => {
    const text = formatStatus(
      report(
        [result({ auth: 'failed', roundtrip: { ok: false, failedStep: 'verify', latencyMs: 9 } })],
        'down',
      ),
    );
    expect(text.split('\n')[0]).toMatch(/AUTH\s+ROUNDTRIP\s+NOTE/);
    expect(text).toMatch(/failed\s+failed at verify/);
    expect(text).toContain('credentials refused by 1');
  });
});

describe('statusExitCode (exit 1 or not, by --fail-on)', () => {
  const degraded = report([result({ state: 'degraded' })], 'degraded');
  const down = report([result({ state: 'down' })], 'down');
  const authFailed = report([result({ state: 'down', auth: 'failed' })], 'down');

  it('fails on down by default, on degraded when asked, never when asked', () => {
    expect(statusExitCode(degraded, 'down')).toBe(0);
    expect(statusExitCode(down, 'down')).toBe(1);
    expect(statusExitCode(degraded, 'degraded')).toBe(1);
    expect(statusExitCode(down, 'never')).toBe(0);
  });

  it('fails on refused credentials (a down target, as the core reports it) by default', () => {
    expect(statusExitCode(authFailed, 'down')).toBe(1);
    expect(statusExitCode(authFailed, 'degraded')).toBe(1);
    expect(statusExitCode(authFailed, 'never')).toBe(0);
  });
});

describe('formatSecretResult', () => {
  it('prints the value (generate), links, ttl, expiry and passphrase', () => {
    const text = formatSecretResult({
      secretKey: 'sk',
      secretUrl: 'https://eu.onetimesecret.com/secret/sk',
      receiptKey: 'rk',
      receiptUrl: 'https://eu.onetimesecret.com/receipt/rk',
      ttl: 3600,
      expiresAt: '2026-11-01T01:00:00.000Z',
      passphraseRequired: true,
      value: 'Zq9',
    });
    expect(text).toBe(
      [
        'value         Zq9',
        'secret link   https://eu.onetimesecret.com/secret/sk',
        'receipt link  https://eu.onetimesecret.com/receipt/rk',
        'ttl           1h',
        'expires       2026-11-01T01:00:00.000Z',
        'passphrase    required',
        '',
      ].join('\n'),
    );
  });
});
