import { ValidationError } from '../errors.js';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };
/** The service's absolute ceiling (docs/ots-api.md 2.4); the server clamps lower ones itself. */
export const MAX_TTL_SECONDS = 365 * 86_400;

function ttlError(inputName: string, problem: string): ValidationError {
  return new ValidationError(
    `${inputName} ${problem}: give whole seconds (3600) or a number with s, m, h or d (90s, 30m, 12h, 7d), ` +
      'at most 365d.',
    { input: inputName },
  );
}

/** Seconds from `3600`, `'3600'`, `'90s'`, `'30m'`, `'12h'` or `'7d'`. Anything else is a ValidationError. */
export function parseTtl(input: number | string, inputName = 'ttl'): number {
  let seconds: number;
  if (typeof input === 'number') {
    seconds = input;
  } else {
    const match = /^(\d{1,12})\s*([smhd]?)$/i.exec(input.trim());
    if (!match) throw ttlError(inputName, input.trim() === '' ? 'is empty' : 'is not a duration');
    seconds = Number(match[1]) * (UNIT_SECONDS[(match[2] || 's').toLowerCase()] ?? 1);
  }
  if (!Number.isSafeInteger(seconds) || seconds <= 0)
    throw ttlError(inputName, 'must be a positive whole number');
  if (seconds > MAX_TTL_SECONDS) throw ttlError(inputName, 'is longer than 365 days');
  return seconds;
}
