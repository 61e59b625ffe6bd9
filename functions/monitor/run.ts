/**
 * One monitoring run (docs/monitor.md): check the targets, re-check the bad ones after
 * OTS_RECHECK_SECONDS, record every check, advance each target's state machine with a conditional write,
 * and deliver the run's announcements: one message per receiver, carrying every transition this run
 * owns. This is the only code path that makes transitions. A store that is down costs the memory, never
 * the check: the results and their metrics come back whatever the store does.
 */
import { type StatusReport, type Target, type TargetStatus, worstState } from '../../src/fetch.js';
import { type Delivery, postNotification } from '../notify.js';
import { logger } from '../powertools.js';
import { storeErrorKind } from '../store/errors.js';
import type { Announcement, IncidentRecord, StateItem } from '../store/items.js';
import { toStoredResult } from '../store/items.js';
import { newIncidentId } from '../store/keys.js';
import type { MonitorStore, StoredState } from '../store/monitor-store.js';
import { notificationBody, type ReceiverFormat, render } from './messages.js';
import {
  advance,
  initialState,
  type Observation,
  type Step,
  type Transition,
  type VersionChange,
} from './state-machine.js';

export interface Receiver {
  /** A short hash of the URL: how the outbox says who is still owed a message, without the URL. */
  id: string;
  url: URL;
  format: ReceiverFormat;
}

export interface RunSettings {
  confirmChecks: number;
  remindMinutes: number;
  recheckSeconds: number;
  notifySecret?: string;
}

export interface RunDeps {
  check: (targets: readonly Target[]) => Promise<StatusReport>;
  /** Undefined when no table is configured. */
  store: MonitorStore | undefined | Promise<MonitorStore | undefined>;
  receivers: () => Promise<Receiver[]>;
  sleep: (ms: number) => Promise<void>;
  now: () => Date;
  random: () => string;
}

export interface TargetOutcome {
  /** The latest check (the re-check when there was one). */
  result: TargetStatus;
  checks: TargetStatus[];
  /** The confirmed state after this run (from the checks of this run alone when the store is down). */
  confirmed: TargetStatus['state'];
  transitions: Transition[];
  /** The server version changes this run recorded (announced like transitions). */
  versionChanges: VersionChange[];
}

export interface RunOutcome {
  outcomes: TargetOutcome[];
  /** Whether the run's checks and state were recorded. */
  stored: boolean;
  /** Messages sent and accepted this run, when any was due. */
  notifications?: { sent: number; accepted: number };
}

/** How long a run owns an outbox's delivery: longer than a delivery's 5 s timeout, short for a retry. */
export const LEASE_MS = 30_000;

interface Owned {
  target: string;
  announcements: Announcement[];
  lease: number | undefined;
  journal: IncidentRecord[];
}

export async function runMonitor(
  targets: readonly Target[],
  settings: RunSettings,
  deps: RunDeps,
): Promise<RunOutcome> {
  const storeDown = storeDownReporter();
  // The store's client loads and the stored states are read while the targets are checked: on a cold
  // start too, they cost the run no time beyond the checks'.
  const opening = Promise.resolve(deps.store).catch((error: unknown) => {
    storeDown(error);
    return undefined;
  });
  const [first, store, states] = await Promise.all([
    deps.check(targets),
    opening,
    opening.then((s) =>
      s?.readStates(targets.map((t) => t.name)).catch((error: unknown) => {
        storeDown(error);
        return undefined;
      }),
    ),
  ]);
  const checks = await withRechecks(targets, first, settings, deps, states);
  const outcomes: TargetOutcome[] = [...checks.values()].map((list) => ({
    result: list[list.length - 1]!,
    checks: list,
    confirmed: list[list.length - 1]!.state,
    transitions: [],
    versionChanges: [],
  }));
  if (store === undefined || states === undefined) {
    for (const outcome of outcomes) outcome.confirmed = confirmedInRun(outcome.checks, settings);
    return { outcomes, stored: false };
  }
  let receivers: Receiver[];
  try {
    receivers = await deps.receivers();
  } catch (error) {
    // Nothing is committed, so no announcement is lost: the next run decides again.
    logger.error('The notification URLs could not be read: this run records no transition', {
      reason: error instanceof Error ? error.message : 'unknown error',
    });
    for (const outcome of outcomes) outcome.confirmed = confirmedInRun(outcome.checks, settings);
    return { outcomes, stored: false };
  }
  const owned: Owned[] = [];
  let stored = true;
  // The history (checks, rollups) and the state changes are independent writes: made at once.
  const history = store
    .recordChecks(
      outcomes.flatMap((o) => o.checks),
      deps.random(),
    )
    .catch((error: unknown) => {
      stored = false;
      storeDown(error);
    });
  const changes = Promise.all(
    outcomes.map(async (outcome) => {
      try {
        const state = states.get(outcome.result.target) ?? { kind: 'new' };
        const done = await advanceStored(store, outcome, state, settings, deps, receivers);
        outcome.confirmed = done.step.next.state;
        outcome.transitions = done.step.transitions;
        outcome.versionChanges = done.step.versionChanges;
        if (done.owned !== undefined) owned.push(done.owned);
      } catch (error) {
        stored = false;
        storeDown(error);
        outcome.confirmed = confirmedInRun(outcome.checks, settings);
      }
    }),
  );
  await Promise.all([history, changes]);
  const result: RunOutcome = { outcomes, stored };
  if (owned.length > 0) {
    const overall = worstState(outcomes.map((o) => o.confirmed));
    const notifications = await deliver(store, owned, receivers, {
      state: overall,
      checkedAt: first.checkedAt,
      secret: settings.notifySecret,
      now: deps.now,
    });
    if (notifications.sent > 0) result.notifications = notifications;
  }
  return result;
}

/** The run's checks per target, in order: the first check, then the re-check of the bad ones. */
async function withRechecks(
  targets: readonly Target[],
  first: StatusReport,
  settings: RunSettings,
  deps: RunDeps,
  states: Map<string, StoredState> | undefined,
): Promise<Map<string, TargetStatus[]>> {
  const checks = new Map(first.results.map((r) => [r.target, [r]]));
  const confirmedBefore = (target: string) => {
    const state = states?.get(target);
    return state?.kind === 'found' ? state.item.state : 'nominal';
  };
  // A check that agrees with the confirmed state needs no confirmation; with 1 check to confirm, none does.
  const doubtful = first.results.filter(
    (r) => r.state !== 'nominal' && r.state !== confirmedBefore(r.target),
  );
  if (doubtful.length === 0 || settings.confirmChecks < 2) return checks;
  const again = targets.filter((t) => doubtful.some((r) => r.target === t.name));
  await deps.sleep(settings.recheckSeconds * 1000);
  const second = await deps.check(again);
  for (const result of second.results) checks.get(result.target)?.push(result);
  return checks;
}

const observation = (r: TargetStatus): Observation => ({
  state: r.state,
  checkedAt: r.checkedAt,
  message: r.message,
  ...(r.serverVersion === undefined ? {} : { serverVersion: r.serverVersion }),
});

/** Without memory: what the run's own checks confirm, starting from nominal. */
function confirmedInRun(checks: TargetStatus[], settings: RunSettings): TargetStatus['state'] {
  const step = advance(initialState(checks[0]!.checkedAt), checks.map(observation), {
    target: checks[0]!.target,
    confirmChecks: settings.confirmChecks,
    remindMinutes: 0,
    now: checks[checks.length - 1]!.checkedAt,
    incidentId: () => 'unrecorded',
  });
  return step.next.state;
}

/**
 * Advances one target on its stored state and writes the result conditionally; on losing to another
 * run, re-reads and applies this run's checks on top of what that run recorded (which then usually
 * makes no transition: of two runs at once, one announces).
 */
async function advanceStored(
  store: MonitorStore,
  outcome: TargetOutcome,
  initial: StoredState,
  settings: RunSettings,
  deps: RunDeps,
  receivers: Receiver[],
): Promise<{ step: Step; owned?: Owned }> {
  const target = outcome.result.target;
  let state = initial;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    if (state.kind === 'malformed') {
      logger.warn('The stored state of a target is malformed: it starts again from nominal', { target });
    }
    const previous: StateItem | undefined = state.kind === 'found' ? state.item : undefined;
    if (previous !== undefined && previous.journal.length > 0)
      await store.applyJournal(target, previous.journal);
    const now = deps.now();
    const step = advance(
      previous ?? initialState(outcome.checks[0]!.checkedAt),
      outcome.checks.map(observation),
      {
        target,
        confirmChecks: settings.confirmChecks,
        remindMinutes: settings.remindMinutes,
        now: now.toISOString(),
        incidentId: (start) => newIncidentId(start, deps.random()),
      },
    );
    const owedTo = receivers.map((r) => r.id);
    const notices = [...step.transitions, ...step.versionChanges];
    const fresh: Announcement[] = owedTo.length === 0 ? [] : notices.map((t) => ({ ...t, owed: owedTo }));
    const outbox = [...(previous?.outbox ?? []), ...fresh];
    const leaseFree = previous?.leaseUntil === undefined || previous.leaseUntil <= now.getTime();
    const lease = leaseFree && outbox.length > 0 ? now.getTime() + LEASE_MS : undefined;
    const committed = await store.commit({
      target,
      version: state.kind === 'found' ? state.item.version : undefined,
      overwrite: state.kind === 'malformed',
      step,
      last: toStoredResult(outcome.result),
      outbox,
      journal: [],
      leaseUntil: lease ?? (leaseFree ? undefined : previous?.leaseUntil),
      now: now.toISOString(),
    });
    if (committed === undefined) {
      state = (await store.readStates([target])).get(target) ?? { kind: 'new' };
      continue;
    }
    if (committed.journal.length > 0) await store.applyJournal(target, committed.journal);
    // With the lease, this run delivers the whole outbox (retries included); without it, only its own.
    const announcements = lease !== undefined ? outbox : fresh;
    if (announcements.length === 0 && committed.journal.length === 0) return { step };
    return { step, owned: { target, announcements, lease, journal: committed.journal } };
  }
  throw new Error(`The state of ${target} changed 5 times while this run wrote it`);
}

const identity = (a: Transition | VersionChange): string =>
  a.kind === 'version' ? `version|${a.target}|${a.to}|${a.at}` : `${a.kind}|${a.incidentId}|${a.to}|${a.at}`;

async function deliver(
  store: MonitorStore,
  owned: Owned[],
  receivers: Receiver[],
  context: { state: TargetStatus['state']; checkedAt: string; secret: string | undefined; now: () => Date },
): Promise<{ sent: number; accepted: number }> {
  const all = owned.flatMap((o) => o.announcements);
  const accepted = new Map<string, Set<string>>(); // announcement identity -> receiver ids that took it
  const failures = new Map<string, string[]>(); // incident id -> failure details
  let sent = 0;
  let ok = 0;
  await Promise.all(
    receivers.map(async (receiver) => {
      const mine = all.filter((a) => a.owed.includes(receiver.id)).sort((a, b) => a.at.localeCompare(b.at));
      if (mine.length === 0) return;
      const body = notificationBody(mine, context.state, context.checkedAt);
      const rendered = render(receiver.format, body, {
        ...(context.secret === undefined ? {} : { secret: context.secret }),
        nowSeconds: Math.floor(context.now().getTime() / 1000),
      });
      sent += 1;
      const delivery: Delivery = await postNotification(receiver.url, rendered);
      if (delivery.ok) ok += 1;
      for (const a of mine) {
        if (delivery.ok) {
          const set = accepted.get(identity(a)) ?? new Set<string>();
          set.add(receiver.id);
          accepted.set(identity(a), set);
        } else if (a.kind !== 'version') {
          // Failures are recorded on incidents; a version change has none (it stays owed all the same).
          failures.set(a.incidentId, [...(failures.get(a.incidentId) ?? []), delivery.detail]);
        }
      }
    }),
  );
  const at = context.now().toISOString();
  await Promise.all(
    owned.map(async (o) => {
      try {
        const sentHere = new Set(o.announcements.map(identity));
        await store.settle(
          o.target,
          (a) => (sentHere.has(identity(a)) ? [...(accepted.get(identity(a)) ?? [])] : []),
          o.lease,
          o.journal,
        );
        const aboutIncidents = o.announcements.filter((a) => a.kind !== 'version');
        for (const incidentId of new Set(aboutIncidents.map((a) => a.incidentId))) {
          const errors = failures.get(incidentId) ?? [];
          const tookIt = aboutIncidents.filter(
            (a) => a.incidentId === incidentId && accepted.has(identity(a)),
          ).length;
          await store.recordDelivery(o.target, incidentId, {
            at,
            accepted: tookIt,
            failed: errors.length,
            errors,
          });
        }
      } catch (error) {
        logger.warn('Recording a delivery failed: the next run retries what is still owed', {
          target: o.target,
          reason: storeErrorKind(error),
        });
      }
    }),
  );
  if (sent > ok) {
    logger.warn('Some notifications were not delivered: they are retried at the next run', {
      sent,
      accepted: ok,
    });
  }
  return { sent, accepted: ok };
}

/** Logs the store's failure once per run, in one clear line. */
function storeDownReporter(): (error: unknown) => void {
  let reported = false;
  return (error) => {
    if (reported) return;
    reported = true;
    logger.error(
      'The history store is unavailable: the checks ran and their metrics are emitted, but this run records no history and sends no notification',
      { reason: storeErrorKind(error) },
    );
  };
}
