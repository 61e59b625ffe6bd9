/** Runs npm and other commands for the release tests, with an environment free of the outer npm's. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * `npm test` exports its own configuration as npm_* variables (prefix, lifecycle, user agent...); an
 * npm started inside would read them as its own settings, so they are dropped.
 */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(name)) env[name] = value;
  }
  return { ...env, ...extra };
}

/** Resolves with stdout; rejects with the command, its exit code and its output. */
export function run(
  command: string,
  args: string[],
  cwd: string,
  extra: Record<string, string> = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { cwd, env: cleanEnv(extra), maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error)
          reject(new Error(`${command} ${args.join(' ')} failed (${error.code}):\n${stdout}\n${stderr}`));
        else resolve(stdout);
      },
    );
  });
}

export function npm(args: string[], cwd: string, extra: Record<string, string> = {}): Promise<string> {
  return run('npm', args, cwd, extra);
}
