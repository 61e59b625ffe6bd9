/**
 * Bad usage: an unknown command or flag, a missing or bad value. The CLI prints the message with a hint to
 * `--help` and exits 2. Messages name the flag and what is allowed, never the value given (it may be a
 * secret typed in the wrong place).
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
