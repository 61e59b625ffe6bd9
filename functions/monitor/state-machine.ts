/**
 * The monitor's state machine, pure: a target's confirmed state and the checks of one run in, the next
 * state and the transitions to announce out. No clock, no I/O: the caller passes `now` and the checks.
 *
 *   nominal --(confirmChecks bad checks in a row)--> degraded | down   (opens an incident)
 *   degraded <--(confirmChecks checks in a row in the other bad state)--> down   (same incident)
 *   degraded | down --(the first nominal check)--> nominal   (closes the incident, with its duration)
 *
 * A bad streak's state is the worst check in it, so `degraded, down` with confirmChecks 2 becomes down.
 * A check in the confirmed state resets the streak: only consecutive bad checks count.
 *
 * Apart from the state, the server's version is remembered: a check that reads a version other than the
 * one known makes a version change. The first version seen is only remembered, and a check that could not
 * read one (no credentials, or the read failed) changes nothing: an unknown reading is never a change.
 */
import { type CheckState, worstState } from '../../src/fetch.js';

export type BadState = Exclude<CheckState, 'nominal'>;

export interface Observation {
  state: CheckState;
  checkedAt: string;
  message: string;
  /** The server's version, when the check could read it. */
  serverVersion?: string;
}

/** Consecutive checks that disagree with the confirmed state (none while they agree). */
export interface Streak {
  count: number;
  worst: CheckState;
  since: string;
}

export interface OpenIncident {
  id: string;
  start: string;
  worst: BadState;
  firstMessage: string;
  lastMessage: string;
  /** When it was last announced (opened, changed or reminded): reminders count from here. */
  announcedAt: string;
}

export interface TargetState {
  state: CheckState;
  since: string;
  streak: Streak | null;
  incident: OpenIncident | null;
  /** The last server version read; absent until one is. */
  serverVersion?: string;
}

export interface Transition {
  kind: 'transition' | 'reminder';
  target: string;
  from: CheckState;
  to: CheckState;
  at: string;
  incidentId: string;
  /** On recovery: how long the incident lasted. */
  durationSeconds?: number;
  message: string;
}

/** The server's version changed between two checks that both read it. */
export interface VersionChange {
  kind: 'version';
  target: string;
  from: string;
  to: string;
  at: string;
}

export interface ClosedIncident extends OpenIncident {
  end: string;
  durationSeconds: number;
}

export interface Step {
  next: TargetState;
  transitions: Transition[];
  /** Incidents this run opened (at most one per recovery-free run) and closed. */
  opened: OpenIncident[];
  closed: ClosedIncident[];
  versionChanges: VersionChange[];
}

export interface StepOptions {
  target: string;
  confirmChecks: number;
  /** 0: no reminders. */
  remindMinutes: number;
  now: string;
  /** A new incident's id, from its start time (the caller adds what makes it unique). */
  incidentId: (start: string) => string;
}

/** The state of a target never seen before. */
export function initialState(at: string): TargetState {
  return { state: 'nominal', since: at, streak: null, incident: null };
}

export function secondsBetween(start: string, end: string): number {
  return Math.max(0, Math.round((Date.parse(end) - Date.parse(start)) / 1000));
}

/** Applies the checks of one run, oldest first. */
export function advance(previous: TargetState, checks: readonly Observation[], options: StepOptions): Step {
  const step: Step = { next: copy(previous), transitions: [], opened: [], closed: [], versionChanges: [] };
  for (const check of checks) observe(step, check, options);
  remind(step, options);
  trackVersion(step, previous.serverVersion, checks, options.target);
  return step;
}

/** Separate from the state: recovering or opening an incident never forgets or changes the version. */
function trackVersion(
  step: Step,
  known: string | undefined,
  checks: readonly Observation[],
  target: string,
): void {
  let version = known;
  for (const check of checks) {
    if (check.serverVersion === undefined) continue;
    if (version !== undefined && check.serverVersion !== version) {
      step.versionChanges.push({
        kind: 'version',
        target,
        from: version,
        to: check.serverVersion,
        at: check.checkedAt,
      });
    }
    version = check.serverVersion;
  }
  if (version !== undefined) step.next.serverVersion = version;
}

/**
 * Only the state machine's own fields: the caller may pass a stored item, whose other fields (its
 * write `version` above all) must not ride along into the next state it writes.
 */
function copy(state: TargetState): TargetState {
  const next: TargetState = {
    state: state.state,
    since: state.since,
    streak: state.streak === null ? null : { ...state.streak },
    incident: state.incident === null ? null : { ...state.incident },
  };
  if (state.serverVersion !== undefined) next.serverVersion = state.serverVersion;
  return next;
}

function observe(step: Step, check: Observation, options: StepOptions): void {
  const state = step.next;
  if (check.state === state.state) {
    state.streak = null;
    if (state.incident !== null) state.incident.lastMessage = check.message;
    return;
  }
  if (check.state === 'nominal') {
    recover(step, check, options);
    return;
  }
  const streak: Streak =
    state.streak === null
      ? { count: 1, worst: check.state, since: check.checkedAt }
      : {
          ...state.streak,
          count: state.streak.count + 1,
          worst: worstState([state.streak.worst, check.state]),
        };
  state.streak = streak;
  if (streak.count >= options.confirmChecks) change(step, streak, check, options);
}

function recover(step: Step, check: Observation, options: StepOptions): void {
  const state = step.next;
  const incident = state.incident;
  const from = state.state;
  step.next = { state: 'nominal', since: check.checkedAt, streak: null, incident: null };
  if (incident === null) return;
  const durationSeconds = secondsBetween(incident.start, check.checkedAt);
  step.closed.push({ ...incident, end: check.checkedAt, durationSeconds });
  step.transitions.push({
    kind: 'transition',
    target: options.target,
    from,
    to: 'nominal',
    at: check.checkedAt,
    incidentId: incident.id,
    durationSeconds,
    message: check.message,
  });
}

function change(step: Step, streak: Streak, check: Observation, options: StepOptions): void {
  const state = step.next;
  const to = streak.worst as BadState;
  const from = state.state;
  let incident = state.incident;
  if (incident === null) {
    incident = {
      id: options.incidentId(streak.since),
      start: streak.since,
      worst: to,
      firstMessage: check.message,
      lastMessage: check.message,
      announcedAt: check.checkedAt,
    };
    step.opened.push(incident);
  } else {
    incident = {
      ...incident,
      worst: worstState([incident.worst, to]) as BadState,
      lastMessage: check.message,
      announcedAt: check.checkedAt,
    };
  }
  step.next = { state: to, since: streak.since, streak: null, incident };
  step.transitions.push({
    kind: 'transition',
    target: options.target,
    from,
    to,
    at: check.checkedAt,
    incidentId: incident.id,
    message: check.message,
  });
}

function remind(step: Step, options: StepOptions): void {
  const incident = step.next.incident;
  if (options.remindMinutes <= 0 || incident === null || step.transitions.length > 0) return;
  if (secondsBetween(incident.announcedAt, options.now) < options.remindMinutes * 60) return;
  incident.announcedAt = options.now;
  step.transitions.push({
    kind: 'reminder',
    target: options.target,
    from: step.next.state,
    to: step.next.state,
    at: options.now,
    incidentId: incident.id,
    message: incident.lastMessage,
  });
}
