/** The fail-on verdict and the state order, the rules the action, the CLI and the functions share. */
import { describe, expect, it } from 'vitest';
import { CHECK_STATES, failingTargets, reportFails, worstState } from '../../src/index.js';
import type { CheckState, StatusReport, TargetStatus } from '../../src/types.js';

function result(target: string, state: CheckState): TargetStatus {
  return {
    target,
    url: `https://${target}.onetimesecret.com/api/v2/status`,
    state,
    httpStatus: state === 'down' ? null : 200,
    latencyMs: state === 'down' ? null : 12,
    message: state,
    checkedAt: '2026-11-01T00:00:00.000Z',
  };
}

function report(...results: TargetStatus[]): StatusReport {
  return {
    state: worstState(results.map((r) => r.state)),
    results,
    checkedAt: '2026-11-01T00:00:00.000Z',
  };
}

const mixed = report(result('eu', 'degraded'), result('us', 'nominal'), result('ca', 'down'));

describe('failingTargets and reportFails', () => {
  it('down: the down targets fail it, a degraded one does not', () => {
    expect(failingTargets(mixed, 'down').map((r) => r.target)).toEqual(['ca']);
    expect(reportFails(report(result('eu', 'degraded')), 'down')).toBe(false);
    expect(reportFails(mixed, 'down')).toBe(true);
  });

  it('degraded: every target not nominal fails it, in report order', () => {
    expect(failingTargets(mixed, 'degraded').map((r) => r.target)).toEqual(['eu', 'ca']);
    expect(reportFails(report(result('eu', 'degraded')), 'degraded')).toBe(true);
    expect(reportFails(report(result('eu', 'nominal')), 'degraded')).toBe(false);
  });

  it('never: nothing fails it', () => {
    expect(failingTargets(mixed, 'never')).toEqual([]);
    expect(reportFails(mixed, 'never')).toBe(false);
  });

  it('a report without targets passes', () => {
    expect(reportFails(report(), 'degraded')).toBe(false);
  });

  it('refuses a fail-on value it does not know, naming the input and what is allowed', () => {
    expect(() => reportFails(mixed, 'always' as 'down')).toThrow(
      expect.objectContaining({ input: 'failOn', message: 'failOn must be one of down, degraded, never.' }),
    );
  });
});

describe('worstState', () => {
  it('orders the states nominal, degraded, down', () => {
    expect(CHECK_STATES).toEqual(['nominal', 'degraded', 'down']);
    expect(worstState(['nominal', 'down', 'degraded'])).toBe('down');
    expect(worstState(['degraded', 'nominal'])).toBe('degraded');
    expect(worstState([])).toBe('nominal');
  });
});
