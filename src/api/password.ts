import { randomInt } from 'node:crypto';

/** Letters and digits without look-alikes (0/O, 1/l/I), so a generated value survives being read aloud. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
/** 20 characters of 57: about 116 bits. */
const GENERATED_LENGTH = 20;

/** A random value from the operating system's CSPRNG (randomInt has no modulo bias). */
export function generateValue(length = GENERATED_LENGTH): string {
  let value = '';
  for (let i = 0; i < length; i++) value += ALPHABET[randomInt(ALPHABET.length)];
  return value;
}
