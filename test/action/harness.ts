/**
 * Runs the committed bundle as a runner does: `node action/dist/index.js` with one `INPUT_<NAME>`
 * variable per input of action.yml (its defaults filled in, as the runner fills them) and the
 * `GITHUB_OUTPUT`, `GITHUB_STEP_SUMMARY` and `GITHUB_ENV` files; then reads those files back. A preload
 * (fixtures/loopback-only.mjs) refuses every host name that is not loopback.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  inputVariable,
  parseOutputFile,
  actionDefaults as runnerDefaults,
  unescapeData,
} from '../../scripts/action-runner.js';

export { parseOutputFile } from '../../scripts/action-runner.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BUNDLE = join(ROOT, 'action/dist/index.js');
const GUARD = join(ROOT, 'test/action/fixtures/loopback-only.mjs');

export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** stdout without the `::add-mask::` commands (the only lines allowed to carry a secret). */
  printed: string;
  /** The `::error::` lines of stdout. */
  errors: string[];
  /** Every value masked with `::add-mask::`. */
  masks: string[];
}

/** The inputs of action.yml with their defaults (scripts/action-runner.ts reads them). */
export async function actionDefaults(): Promise<Record<string, string>> {
  return runnerDefaults(ROOT);
}

export async function runAction(inputs: Record<string, string>, timeoutMs = 20_000): Promise<ActionRun> {
  const dir = await mkdtemp(join(tmpdir(), 'ots-action-'));
  const files = { output: join(dir, 'output'), summary: join(dir, 'summary'), env: join(dir, 'env') };
  await Promise.all(Object.values(files).map((f) => writeFile(f, '')));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_ENV: files.env,
    RUNNER_TEMP: dir,
  };
  for (const [name, value] of Object.entries({ ...(await actionDefaults()), ...inputs })) {
    env[inputVariable(name)] = value;
  }
  try {
    const { code, stdout, stderr } = await spawnNode(['--import', GUARD, BUNDLE], env, timeoutMs);
    const outputs = parseOutputFile(await readFile(files.output, 'utf8'));
    const summary = await readFile(files.summary, 'utf8');
    const lines = stdout.split('\n');
    return {
      code,
      stdout,
      stderr,
      outputs,
      summary,
      printed: lines.filter((l) => !l.startsWith('::add-mask::')).join('\n'),
      errors: lines.filter((l) => l.startsWith('::error')),
      masks: lines.filter((l) => l.startsWith('::add-mask::')).map((l) => unescapeData(l.slice(12))),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function spawnNode(
  args: string[],
  env: Record<string, string>,
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Every place a secret must not be: stdout (outside `::add-mask::`), stderr and the summary. */
export function leaks(run: ActionRun, secrets: readonly string[]): string[] {
  const visible = [run.printed, run.stderr, run.summary].join('\n');
  return secrets.filter((s) => s !== '' && visible.includes(s));
}
