/**
 * serverless-offline for the page's browser tests: the functions built by serverless-esbuild into a
 * build folder of their own (OTS_ESBUILD_WORK_FOLDER, so the osls tests' `.esbuild` is left alone),
 * served on free loopback ports with the schedule off, stopped as a process group.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../../scripts/processes.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const OSLS = createRequire(import.meta.url).resolve('osls/bin/serverless.js');

export interface Offline {
  base: string;
  output: () => string;
  stop: () => Promise<void>;
}

/** The environment without the shell's OTS_* or AWS credentials, plus `extra`. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(OTS_|ONETIME_|POWERTOOLS_|AWS_)/.test(key)) env[key] = value;
  }
  return { ...env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off', ...extra };
}

export async function startOffline(env: Record<string, string>, workFolder: string): Promise<Offline> {
  const [httpPort, lambdaPort] = [await freePort('127.0.0.1'), await freePort('127.0.0.1')];
  const args = [OSLS, 'offline', 'start', '--host', '127.0.0.1', '--httpPort', String(httpPort)];
  args.push('--lambdaPort', String(lambdaPort), '--noPrependStageInUrl', '--localEnvironment', '--noSponsor');
  args.push('--param=scheduleEnabled=false');
  rmSync(join(ROOT, workFolder), { recursive: true, force: true });
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: cleanEnv({ ...env, OTS_ESBUILD_WORK_FOLDER: workFolder }),
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const watch = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Server ready')) resolve();
    };
    child.stdout?.on('data', watch);
    child.stderr?.on('data', watch);
    child.once('exit', (code) => reject(new Error(`serverless-offline exited with ${code}:\n${output}`)));
  });
  return {
    base: `http://127.0.0.1:${httpPort}`,
    output: () => output,
    stop: async () => {
      if (child.pid !== undefined && child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        try {
          process.kill(-child.pid, 'SIGINT');
        } catch {
          // Already gone.
        }
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Gone.
        }
      }
      rmSync(join(ROOT, workFolder), { recursive: true, force: true });
    },
  };
}
