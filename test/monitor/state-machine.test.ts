/** The state machine on its own: pure, no clock, no store. */
import { describe, expect, it } from 'vitest';
import {
  advance,
  initialState,
  type Observation,
  type StepOptions,
  type TargetState,
} from '../../functions/monitor/state-machine.js';

const T0 = Date.parse('2026-12-01T10:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();
const check = (
  state: Observation['state'],
  seconds: number,
  message = `${state} at ${seconds}`,
): Observation => ({
  state,
  checkedAt: at(seconds),
  message,
});
const options = (overrides: Partial<StepOptions> = {}): StepOptions => ({
  target: 'eu',
  confirmChecks: 2,
  remindMinutes: 0,
  now: at(1000),
  incidentId: (start) => `inc-${start}`,
  ...overrides,
});

describe('confirmation', () => {
  it('one bad check changes nothing; the second in a row opens an incident at the first', () => {
    const one = advance(initialState(at(0)), [check('down', 10)], options());
    expect(one.next.state).toBe('nominal');
    expect(one.next.streak).toEqual({ count: 1, worst: 'down', since: at(10) });
    expect(one.transitions).toEqual([]);

    const two = advance(one.next, [check('down', 15, 'HTTP 503')], options());
    expect(two.next.state).toBe('down');
    expect(two.next.since).toBe(at(10));
    expect(two.opened).toHaveLength(1);
    expect(two.transitions).toEqual([
      {
        kind: 'transition',
        target: 'eu',
        from: 'nominal',
        to: 'down',
        at: at(15),
        incidentId: `inc-${at(10)}`,
        message: 'HTTP 503',
      },
    ]);
  });

  it('a nominal check between two bad ones resets the streak', () => {
    const step = advance(
      initialState(at(0)),
      [check('down', 1), check('nominal', 2), check('down', 3)],
      options(),
    );
    expect(step.next.state).toBe('nominal');
    expect(step.next.streak?.count).toBe(1);
    expect(step.transitions).toEqual([]);
  });

  it('a streak takes its worst state: degraded then down is down', () => {
    const step = advance(initialState(at(0)), [check('degraded', 1), check('down', 2)], options());
    expect(step.next.state).toBe('down');
    expect(step.next.incident?.worst).toBe('down');
  });

  it('OTS_CONFIRM_CHECKS 3 needs three', () => {
    const checks = [check('down', 1), check('down', 2)];
    expect(advance(initialState(at(0)), checks, options({ confirmChecks: 3 })).next.state).toBe('nominal');
    expect(
      advance(initialState(at(0)), [...checks, check('down', 3)], options({ confirmChecks: 3 })).next.state,
    ).toBe('down');
  });
});

describe('incidents', () => {
  const down = (): TargetState =>
    advance(initialState(at(0)), [check('down', 10), check('down', 15)], options()).next;

  it('more bad checks in the same state announce nothing and keep the last message', () => {
    const step = advance(down(), [check('down', 300, 'still 503')], options());
    expect(step.transitions).toEqual([]);
    expect(step.next.incident?.lastMessage).toBe('still 503');
  });

  it('recovers on the first nominal check, with the duration since the first bad check', () => {
    const step = advance(down(), [check('nominal', 610)], options());
    expect(step.next).toMatchObject({ state: 'nominal', incident: null, streak: null });
    expect(step.closed).toEqual([
      expect.objectContaining({ id: `inc-${at(10)}`, end: at(610), durationSeconds: 600 }),
    ]);
    expect(step.transitions).toEqual([
      expect.objectContaining({
        from: 'down',
        to: 'nominal',
        durationSeconds: 600,
        incidentId: `inc-${at(10)}`,
      }),
    ]);
  });

  it('down to degraded is a confirmed change within the same incident', () => {
    const step = advance(down(), [check('degraded', 300), check('degraded', 305)], options());
    expect(step.next.state).toBe('degraded');
    expect(step.next.incident?.id).toBe(`inc-${at(10)}`);
    expect(step.next.incident?.worst).toBe('down');
    expect(step.opened).toEqual([]);
    expect(step.transitions.map((t) => [t.from, t.to])).toEqual([['down', 'degraded']]);
  });

  it('does not change its input', () => {
    const before = down();
    const copy = structuredClone(before);
    advance(before, [check('nominal', 700)], options());
    expect(before).toEqual(copy);
  });
});

describe('reminders', () => {
  const down = advance(initialState(at(0)), [check('down', 10), check('down', 15)], options()).next;

  it('are off by default', () => {
    expect(advance(down, [check('down', 9000)], options({ now: at(9000) })).transitions).toEqual([]);
  });

  it('re-announce an open incident once OTS_REMIND_MINUTES have passed since the last announcement', () => {
    const early = advance(down, [check('down', 600)], options({ remindMinutes: 30, now: at(600) }));
    expect(early.transitions).toEqual([]);
    const due = advance(down, [check('down', 1815)], options({ remindMinutes: 30, now: at(1815) }));
    expect(due.transitions).toEqual([
      expect.objectContaining({ kind: 'reminder', from: 'down', to: 'down' }),
    ]);
    expect(due.next.incident?.announcedAt).toBe(at(1815));
    const again = advance(due.next, [check('down', 1900)], options({ remindMinutes: 30, now: at(1900) }));
    expect(again.transitions).toEqual([]);
  });
});

describe('server version', () => {
  const seen = (state: Observation['state'], seconds: number, serverVersion?: string): Observation => ({
    ...check(state, seconds),
    ...(serverVersion === undefined ? {} : { serverVersion }),
  });

  it('remembers the first version seen without announcing it', () => {
    const step = advance(initialState(at(0)), [seen('nominal', 1, '0.26.6')], options());
    expect(step.versionChanges).toEqual([]);
    expect(step.next.serverVersion).toBe('0.26.6');
  });

  it('announces a change once, with the versions and the time of the check that saw it', () => {
    const known: TargetState = { ...initialState(at(0)), serverVersion: '0.26.6' };
    const step = advance(known, [seen('nominal', 5, '0.26.11'), seen('nominal', 6, '0.26.11')], options());
    expect(step.versionChanges).toEqual([
      { kind: 'version', target: 'eu', from: '0.26.6', to: '0.26.11', at: at(5) },
    ]);
    expect(step.transitions).toEqual([]);
    expect(step.next.serverVersion).toBe('0.26.11');
    expect(advance(step.next, [seen('nominal', 7, '0.26.11')], options()).versionChanges).toEqual([]);
  });

  it('an unknown reading is not a change and keeps the known version', () => {
    const known: TargetState = { ...initialState(at(0)), serverVersion: '0.26.6' };
    const unknown = advance(known, [seen('nominal', 5)], options());
    expect(unknown.versionChanges).toEqual([]);
    expect(unknown.next.serverVersion).toBe('0.26.6');
    const back = advance(unknown.next, [seen('nominal', 6, '0.26.6')], options());
    expect(back.versionChanges).toEqual([]);
  });

  it('is kept through an incident opening and closing', () => {
    const known: TargetState = { ...initialState(at(0)), serverVersion: '0.26.6' };
    const down = advance(known, [seen('down', 1), seen('down', 2)], options());
    expect(down.next).toMatchObject({ state: 'down', serverVersion: '0.26.6' });
    const up = advance(down.next, [seen('nominal', 3, '0.26.11')], options());
    expect(up.next).toMatchObject({ state: 'nominal', serverVersion: '0.26.11' });
    expect(up.versionChanges).toEqual([expect.objectContaining({ from: '0.26.6', to: '0.26.11' })]);
  });

  it('the next state holds only its own fields, never those of a stored item passed in', () => {
    const stored = { ...initialState(at(0)), version: 7, outbox: [] } as TargetState;
    const step = advance(stored, [seen('nominal', 1)], options());
    expect(step.next).toEqual(initialState(at(0)));
  });
});
