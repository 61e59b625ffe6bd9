/** Runs `main` in-process with captured streams, as a shell would with pipes (or terminals, if asked). */
import { Readable } from 'node:stream';
import type { CliIo } from '../../cli/main.js';
import { main } from '../../cli/main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** What is piped in; default nothing (an empty pipe). */
  stdin?: string;
  stdinIsTTY?: boolean;
  stdoutIsTTY?: boolean;
  stderrIsTTY?: boolean;
  env?: Record<string, string | undefined>;
}

export async function runCli(argv: string[], options: RunOptions = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const stdin = Object.assign(
    Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]),
    {
      isTTY: options.stdinIsTTY ?? false,
    },
  );
  const io: CliIo = {
    stdin,
    stdout: { isTTY: options.stdoutIsTTY ?? false, write: (chunk: string) => (stdout += chunk) },
    stderr: { isTTY: options.stderrIsTTY ?? false, write: (chunk: string) => (stderr += chunk) },
    env: options.env ?? {},
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}
