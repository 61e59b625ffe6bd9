/**
 * Bad usage: an unknown command or flag, a missing or bad value. The CLI prints the message with a hint to
 * `--help` and exits 2. Messages name the flag and what is allowed, and never echo a value (it may be a
 * secret typed in the wrong place); a number of plain digits is the one exception.
 */
export class UsageError extends Error {
  /** The command whose `--help` to point at, when the parser knew it before failing. */
  readonly command?: string;

  constructor(message: string, command?: string) {
    super(message);
    this.name = 'UsageError';
    this.command = command;
  }
}
