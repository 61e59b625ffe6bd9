/**
 * A last line of defence for stdout and stderr: every secret the CLI learns (token, its Basic value,
 * passphrase, secret value, keys and links) is registered with the core's redactor (src/redact.ts),
 * which cuts each of them out in every wire form. The messages are built not to carry them in the first
 * place; this catches the ones we did not foresee, such as a server echoing the request.
 */
import { Redactor as CoreRedactor } from '../src/index.js';
import type { CliOutput } from './io.js';

/** The core's redactor, masking with `***`. */
export class Redactor extends CoreRedactor {
  constructor() {
    super('***');
  }
}

export function redactingOutput(output: CliOutput, redactor: Redactor): CliOutput {
  return {
    isTTY: output.isTTY,
    write: (chunk: string) => output.write(redactor.redact(chunk)),
  };
}
