/**
 * The history table's keys (docs/monitor.md "The table"). Everything about a target lives under one
 * partition, so any read is one Query or one GetItem per target, never a Scan:
 *
 *   pk `T#<target>`   sk `CHECK#<checkedAt>#<run>`   one check result (TTL)
 *                     sk `DAY#<yyyy-mm-dd>`          the day's rollup: counts per state, latency samples (TTL)
 *                     sk `INC#<id>`                  one incident; ids start with the start time (TTL once closed)
 *                     sk `STATE`                     the confirmed state, the last result, the outbox
 *
 * The sort keys order as CHECK# < DAY# < INC# < STATE, so `sk >= DAY#<first day>` reads D rollups, the
 * incidents and the state in one Query, whatever number of checks the period had.
 */
export const STATE_SK = 'STATE';

export const targetPk = (target: string): string => `T#${target}`;
export const checkSk = (checkedAt: string, run: string): string => `CHECK#${checkedAt}#${run}`;
export const daySk = (date: string): string => `DAY#${date}`;
export const incidentSk = (id: string): string => `INC#${id}`;
export const isDaySk = (sk: string): boolean => sk.startsWith('DAY#');
export const isIncidentSk = (sk: string): boolean => sk.startsWith('INC#');

/** The UTC day of an ISO time: `2026-12-01`. */
export const dayOf = (iso: string): string => iso.slice(0, 10);

/** The TTL attribute's value: epoch seconds `days` after `iso`. */
export function expiresAt(iso: string, days: number): number {
  return Math.floor(Date.parse(iso) / 1000) + days * 86_400;
}

/** A sortable, unique incident id: its start time (compact UTC) and a random suffix. */
export function newIncidentId(start: string, random: string): string {
  const compact = start.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${compact}-${random}`;
}
