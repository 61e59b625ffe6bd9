/** What the CLI touches of the outside world, injected so tests can run `main` in-process. */
import { UsageError } from './usage-error.js';

export interface CliInput extends AsyncIterable<Buffer | string> {
  isTTY?: boolean;
}

export interface CliOutput {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface CliIo {
  stdin: CliInput;
  stdout: CliOutput;
  stderr: CliOutput;
  env: Record<string, string | undefined>;
}

/** Far above what the service accepts (10 000 bytes on v1), low enough to never exhaust memory. */
const MAX_STDIN_BYTES = 1024 * 1024;

/**
 * Reads stdin to its end and drops one trailing newline (`echo` adds one). A terminal is refused rather
 * than read: typing a secret there echoes it to the screen and the scrollback.
 */
export async function readStdin(stdin: CliInput, what: string, example: string): Promise<string> {
  if (stdin.isTTY) {
    throw new UsageError(
      `${what} is read from stdin, and stdin is a terminal; pipe it in instead, e.g. \`${example}\``,
    );
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > MAX_STDIN_BYTES) throw new UsageError(`${what} on stdin is larger than 1 MiB`);
    chunks.push(buffer);
  }
  return stripOneNewline(Buffer.concat(chunks).toString('utf8'));
}

export function stripOneNewline(text: string): string {
  if (text.endsWith('\r\n')) return text.slice(0, -2);
  if (text.endsWith('\n')) return text.slice(0, -1);
  return text;
}
