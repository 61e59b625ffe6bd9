/**
 * The history routes' query: `days`, a whole number from 1 to 90 (default 90), capped by the store's
 * retention. Any other parameter is refused too, so a typo (`?day=7`) is not silently ignored. The
 * caller's values are never echoed back.
 */
export const MAX_DAYS = 90;

export type DaysParam = { ok: true; days: number } | { ok: false; problem: string };

export function parseHistoryQuery(
  query: Record<string, string | undefined> | undefined,
  retentionDays: number,
): DaysParam {
  const cap = Math.min(MAX_DAYS, retentionDays);
  for (const name of Object.keys(query ?? {})) {
    if (name !== 'days') {
      return {
        ok: false,
        problem: `Unknown query parameter: the only one is days, a whole number from 1 to ${MAX_DAYS}.`,
      };
    }
  }
  const value = query?.days;
  if (value === undefined) return { ok: true, days: cap };
  const days = /^\d{1,3}$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!(days >= 1 && days <= MAX_DAYS)) {
    return { ok: false, problem: `days must be a whole number from 1 to ${MAX_DAYS}.` };
  }
  return { ok: true, days: Math.min(days, cap) };
}
