/**
 * Masks values in the runner's log before anything that could carry them is printed or set. The runner
 * matches masks line by line, so a multi-line value is masked one line at a time; it also only masks
 * what it was given, so derived forms (the Basic header value, a key inside a link) are masked too.
 */
import type { CorePort } from './ports.js';

/** Every non-blank line of a value, and its trimmed form when that differs. */
export function maskableParts(value: string): string[] {
  const parts = new Set<string>();
  for (const line of value.split(/\r\n|\r|\n/)) {
    if (line.trim() === '') continue;
    parts.add(line);
    parts.add(line.trim());
  }
  return [...parts];
}

export class Masker {
  readonly #core: Pick<CorePort, 'setSecret'>;
  readonly #masked = new Set<string>();

  constructor(core: Pick<CorePort, 'setSecret'>) {
    this.#core = core;
  }

  /** Masks each given value (empty and missing ones are skipped). */
  mask(...values: (string | undefined | null)[]): void {
    for (const value of values) {
      if (!value) continue;
      for (const part of maskableParts(value)) {
        if (this.#masked.has(part)) continue;
        this.#masked.add(part);
        this.#core.setSecret(part);
      }
    }
  }

  /** Replaces every masked value in a text with `***`: a second guard for error messages. */
  redact(text: string): string {
    let result = text;
    const longestFirst = [...this.#masked].sort((a, b) => b.length - a.length);
    for (const part of longestFirst) result = result.split(part).join('***');
    return result;
  }
}
