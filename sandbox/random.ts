/** Keys and generated passwords, from node:crypto only. */
import { randomBytes, randomInt } from 'node:crypto';

const BASE36 = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** v0.24+ identifiers are about 62 characters of `[a-z0-9]` (docs/ots-api.md 1.1, "Identifiers"). */
export const KEY_LENGTH = 62;

/** A random key of `[a-z0-9]`; bytes of 252 and above are skipped so every character is equally likely. */
export function randomKey(length = KEY_LENGTH): string {
  let key = '';
  while (key.length < length) {
    for (const byte of randomBytes(length)) {
      if (byte < 252 && key.length < length) key += BASE36[byte % 36];
    }
  }
  return key;
}

export interface CharacterSets {
  uppercase: boolean;
  lowercase: boolean;
  numbers: boolean;
  symbols: boolean;
  excludeAmbiguous: boolean;
}

/** The server's defaults: upper, lower, digits and symbols, ambiguous characters left out (docs/ots-api.md 1.5). */
export const DEFAULT_CHARACTER_SETS: CharacterSets = {
  uppercase: true,
  lowercase: true,
  numbers: true,
  symbols: true,
  excludeAmbiguous: true,
};

const AMBIGUOUS = new Set('Il1O0o|`\'"'.split(''));

function pools(sets: CharacterSets): string[] {
  const chosen: string[] = [];
  if (sets.uppercase) chosen.push('ABCDEFGHIJKLMNOPQRSTUVWXYZ');
  if (sets.lowercase) chosen.push('abcdefghijklmnopqrstuvwxyz');
  if (sets.numbers) chosen.push('0123456789');
  if (sets.symbols) chosen.push('!@#$%^&*()-_=+[]{};:,.<>?~');
  if (chosen.length === 0) chosen.push('abcdefghijklmnopqrstuvwxyz0123456789');
  if (!sets.excludeAmbiguous) return chosen;
  return chosen.map((pool) => [...pool].filter((c) => !AMBIGUOUS.has(c)).join(''));
}

/** A password of `length` characters with at least one from each chosen set (when long enough). */
export function generatePassword(length: number, sets: CharacterSets = DEFAULT_CHARACTER_SETS): string {
  const chosen = pools(sets);
  const all = chosen.join('');
  const chars = Array.from({ length }, () => all[randomInt(all.length)] as string);
  if (length >= chosen.length) {
    // Place one character of each set at distinct random positions.
    const positions = new Set<number>();
    while (positions.size < chosen.length) positions.add(randomInt(length));
    [...positions].forEach((position, index) => {
      const pool = chosen[index] as string;
      chars[position] = pool[randomInt(pool.length)] as string;
    });
  }
  return chars.join('');
}
