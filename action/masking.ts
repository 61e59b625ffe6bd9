/**
 * Masks values in the runner's log before anything that could carry them is printed or set. The runner
 * only masks what it was given, and matches line by line, so each value is registered in every wire form
 * the core's redactor knows (percent- and form-encoded, JSON-escaped, base64: a server echoing the
 * request shows these), each form one line at a time. Derived values (the Basic header value, a key
 * inside a link) are masked by the callers too.
 */
import { Redactor, wireForms } from '../src/index.js';
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
  readonly #redactor = new Redactor('***');

  constructor(core: Pick<CorePort, 'setSecret'>) {
    this.#core = core;
  }

  /** Masks each given value in all its wire forms (empty and missing ones are skipped). */
  mask(...values: (string | undefined | null)[]): void {
    for (const value of values) {
      if (!value) continue;
      this.#redactor.add(value);
      for (const part of [value, ...wireForms(value)].flatMap(maskableParts)) {
        if (this.#masked.has(part)) continue;
        this.#masked.add(part);
        this.#core.setSecret(part);
      }
    }
  }

  /** Cuts every masked value, in every form, out of a text: a second guard for error messages. */
  redact(text: string): string {
    return this.#redactor.redact(text);
  }
}
