/**
 * A last line of defence for stderr: every secret the CLI learns (token, its Basic value, passphrase,
 * secret value, keys and links) is registered here, and anything written to stderr has them replaced.
 * The messages are built not to carry them in the first place; this catches the ones we did not foresee.
 */
import type { CliOutput } from './io.js';

const MASK = '***';
/** Shorter values would mask ordinary words; the service refuses passphrases under 4 characters anyway. */
const MIN_LENGTH = 3;

export class Redactor {
  private readonly values = new Set<string>();

  add(value: string | undefined): void {
    if (value === undefined) return;
    const trimmed = value.trim();
    if (trimmed.length >= MIN_LENGTH) this.values.add(trimmed);
  }

  redact(text: string): string {
    let result = text;
    // Longest first, so a link is masked whole rather than around its key.
    for (const value of [...this.values].sort((a, b) => b.length - a.length)) {
      result = result.split(value).join(MASK);
    }
    return result;
  }
}

export function redactingOutput(output: CliOutput, redactor: Redactor): CliOutput {
  return {
    isTTY: output.isTTY,
    write: (chunk: string) => output.write(redactor.redact(chunk)),
  };
}
