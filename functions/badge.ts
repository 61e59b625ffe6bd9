/**
 * shields.io "endpoint" badge JSON: `{ schemaVersion: 1, label, message, color }`. shields validates the
 * body strictly, so nothing else goes in it (the request id travels in a header).
 */
import type { CheckState } from '../src/fetch.js';

export interface Badge {
  schemaVersion: 1;
  label: string;
  message: CheckState | 'misconfigured';
  color: string;
}

const COLORS: Record<CheckState, string> = { nominal: 'brightgreen', degraded: 'yellow', down: 'red' };

export function badge(state: CheckState, target?: string): Badge {
  return {
    schemaVersion: 1,
    label: target === undefined ? 'onetime secret' : `onetime secret ${target}`,
    message: state,
    color: COLORS[state],
  };
}

/** A misconfigured function still answers its badge (200, grey): shields would show an error otherwise. */
export function misconfiguredBadge(target?: string): Badge {
  return { ...badge('down', target), message: 'misconfigured', color: 'lightgrey' };
}
