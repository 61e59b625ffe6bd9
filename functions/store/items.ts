/**
 * The shapes stored in the history table, and the checks that turn a raw item back into one. A stored
 * item that does not pass is skipped by the caller with a warning: one bad item must never make every
 * request fail.
 */
import type { CheckState, TargetStatus } from '../../src/fetch.js';
import type {
  OpenIncident,
  Streak,
  TargetState,
  Transition,
  VersionChange,
} from '../monitor/state-machine.js';

/** A check result as stored: the fields of a status result, never a secret. */
export type StoredResult = Pick<
  TargetStatus,
  'target' | 'url' | 'state' | 'httpStatus' | 'latencyMs' | 'message' | 'checkedAt'
> &
  Pick<TargetStatus, 'auth' | 'serverVersion'>;

/**
 * A transition or a version change waiting for delivery; `owed` lists the receivers (by id) that have
 * not accepted it.
 */
export type Announcement = (Transition | VersionChange) & { owed: string[] };

/** What the STATE item's journal says an incident item must hold. */
export type IncidentRecord = Pick<
  IncidentItem,
  'id' | 'start' | 'end' | 'durationSeconds' | 'worst' | 'firstMessage' | 'lastMessage'
>;

export interface StateItem extends TargetState {
  pk: string;
  sk: string;
  target: string;
  version: number;
  last: StoredResult;
  outbox: Announcement[];
  journal: IncidentRecord[];
  /** Epoch ms until which one run owns the outbox's delivery. */
  leaseUntil?: number;
  updatedAt: string;
}

export interface DayItem {
  pk: string;
  sk: string;
  target: string;
  date: string;
  checks: number;
  nominal?: number;
  degraded?: number;
  down?: number;
  /** `[seconds into the day, latency ms or -1, state code 0/1/2]` per check: exact p50/p95/max on read. */
  samples?: number[][];
}

export interface IncidentItem {
  pk: string;
  sk: string;
  target: string;
  id: string;
  start: string;
  end?: string;
  durationSeconds?: number;
  worst: Exclude<CheckState, 'nominal'>;
  firstMessage: string;
  lastMessage: string;
  deliveryAttempts?: number;
  lastDelivery?: { at: string; accepted: number; failed: number; errors: string[] };
}

/**
 * The states best first, as the core's CHECK_STATES. Written out here because the store modules load
 * lazily: a value import from the core's entry would move the entry's whole graph into a chunk shared
 * with this one, and every function's zip would carry each build's copy of it (test/functions/osls.test.ts).
 */
export const STORED_STATES: readonly CheckState[] = ['nominal', 'degraded', 'down'];

/**
 * A day's samples are `[seconds into the day, latency ms or -1, state code]`; the code of a state is its
 * place in STORED_STATES. Stored items depend on it: append, never reorder.
 */
export const sampleCode = (state: CheckState): number => STORED_STATES.indexOf(state);
export const stateOfSample = (code: number | undefined): CheckState | undefined =>
  code === undefined ? undefined : STORED_STATES[code];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;
const isState = (value: unknown): value is CheckState =>
  typeof value === 'string' && (STORED_STATES as readonly string[]).includes(value);
const isTime = (value: unknown): value is string =>
  typeof value === 'string' && !Number.isNaN(Date.parse(value));
const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

export function isStoredResult(value: unknown): value is StoredResult {
  return (
    isRecord(value) &&
    typeof value.target === 'string' &&
    typeof value.url === 'string' &&
    isState(value.state) &&
    (value.httpStatus === null || typeof value.httpStatus === 'number') &&
    (value.latencyMs === null || typeof value.latencyMs === 'number') &&
    typeof value.message === 'string' &&
    isTime(value.checkedAt)
  );
}

function isStreak(value: unknown): value is Streak | null {
  return (
    value === null || (isRecord(value) && isCount(value.count) && isState(value.worst) && isTime(value.since))
  );
}

function isIncident(value: unknown): value is OpenIncident | null {
  return (
    value === null ||
    (isRecord(value) &&
      typeof value.id === 'string' &&
      isTime(value.start) &&
      isState(value.worst) &&
      typeof value.firstMessage === 'string' &&
      typeof value.lastMessage === 'string' &&
      isTime(value.announcedAt))
  );
}

const isOwed = (value: Record<string, unknown>): boolean =>
  Array.isArray(value.owed) && value.owed.every((id) => typeof id === 'string');

function isVersionAnnouncement(value: Record<string, unknown>): boolean {
  return (
    value.kind === 'version' &&
    typeof value.target === 'string' &&
    typeof value.from === 'string' &&
    typeof value.to === 'string' &&
    isTime(value.at) &&
    isOwed(value)
  );
}

function isAnnouncement(value: unknown): value is Announcement {
  if (isRecord(value) && value.kind === 'version') return isVersionAnnouncement(value);
  return (
    isRecord(value) &&
    (value.kind === 'transition' || value.kind === 'reminder') &&
    typeof value.target === 'string' &&
    isState(value.from) &&
    isState(value.to) &&
    isTime(value.at) &&
    typeof value.incidentId === 'string' &&
    typeof value.message === 'string' &&
    isOwed(value)
  );
}

export function isStateItem(value: unknown): value is StateItem {
  return (
    isRecord(value) &&
    typeof value.target === 'string' &&
    isCount(value.version) &&
    isState(value.state) &&
    isTime(value.since) &&
    isStreak(value.streak) &&
    isIncident(value.incident) &&
    (value.serverVersion === undefined || typeof value.serverVersion === 'string') &&
    isStoredResult(value.last) &&
    Array.isArray(value.outbox) &&
    value.outbox.every(isAnnouncement) &&
    Array.isArray(value.journal) &&
    value.journal.every(isIncidentItem)
  );
}

export function isDayItem(value: unknown): value is DayItem {
  return (
    isRecord(value) &&
    typeof value.date === 'string' &&
    /^\d{4}-\d{2}-\d{2}$/.test(value.date) &&
    isCount(value.checks) &&
    (value.samples === undefined || (Array.isArray(value.samples) && value.samples.every(Array.isArray)))
  );
}

export function isIncidentItem(value: unknown): value is IncidentItem {
  return (
    isRecord(value) &&
    typeof value.id === 'string' &&
    isTime(value.start) &&
    (value.end === undefined || isTime(value.end)) &&
    isState(value.worst) &&
    typeof value.firstMessage === 'string' &&
    typeof value.lastMessage === 'string'
  );
}

/** Only the fields of a status result: nothing else the core may add (a roundtrip's details) is stored. */
export function toStoredResult(result: TargetStatus): StoredResult {
  const stored: StoredResult = {
    target: result.target,
    url: result.url,
    state: result.state,
    httpStatus: result.httpStatus,
    latencyMs: result.latencyMs,
    message: result.message,
    checkedAt: result.checkedAt,
  };
  if (result.auth !== undefined) stored.auth = result.auth;
  if (result.serverVersion !== undefined) stored.serverVersion = result.serverVersion;
  return stored;
}
