/** Child processes for cold runs: wall time from spawn to exit, and their output. */
import { spawn } from 'node:child_process';

export interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Spawn to exit, milliseconds. */
  wallMs: number;
}

export function runProcess(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, wallMs: performance.now() - started });
    });
  });
}

/** Like runProcess, but a non-zero exit is an error that shows the output. */
export async function runOk(
  command: string,
  args: readonly string[],
  options: Parameters<typeof runProcess>[2] = {},
): Promise<Exit> {
  const exit = await runProcess(command, args, options);
  if (exit.code !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited with ${exit.code}:\n${exit.stdout.slice(-2000)}\n${exit.stderr.slice(-2000)}`,
    );
  }
  return exit;
}

/** A minimal environment for child processes: PATH and HOME, nothing of the caller's OTS_* settings. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG']) if (process.env[key]) env[key] = process.env[key];
  return { ...env, ...extra };
}
