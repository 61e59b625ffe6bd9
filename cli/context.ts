/** What every command runner gets: the parsed flags, the io (stderr already redacting), a logger. */
import type { Logger } from '../src/index.js';
import type { CommandName } from './commands.js';
import type { Flags } from './flags.js';
import type { CliIo, CliOutput } from './io.js';
import type { Redactor } from './redact.js';

export interface RunContext {
  command: CommandName;
  flags: Flags;
  positionals: string[];
  io: CliIo;
  /** io.stderr behind the redactor: the only way runners write diagnostics. */
  stderr: CliOutput;
  logger: Logger;
  redactor: Redactor;
}

/** Warnings and notices from the core (default host, region ignored) go to stderr, never stdout. */
export function stderrLogger(stderr: CliOutput): Logger {
  return {
    warn: (message) => stderr.write(`ots: warning: ${message}\n`),
    info: (message) => stderr.write(`ots: ${message}\n`),
  };
}

export function writeJson(ctx: RunContext, value: unknown): void {
  ctx.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
