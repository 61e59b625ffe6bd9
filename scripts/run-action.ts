/**
 * `npm run local-action -- [--sources] [input=value ...]`: runs the action on this machine exactly as a
 * runner runs it: `node action/dist/index.js` (or, with --sources, action/index.ts through tsx, without
 * bundling) with `INPUT_*` variables and real `GITHUB_OUTPUT`, `GITHUB_STEP_SUMMARY` and `GITHUB_ENV`
 * files; then prints the log (masked values as ***), the outputs and the step summary.
 *
 * Inputs come from `.env` when it exists, else `.env.example`, then from the environment, then from the
 * arguments (`operation=reveal`); action.yml's defaults fill the rest. `key=@secret-url` takes the value
 * of the previous run's output `secret-url`, so share → reveal chains without copying a masked value:
 * the outputs are kept in `.action-run/outputs.json` (git-ignored, readable by you only).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { actionDefaults, chooseEnvFile, inputVariable, MaskedLog, parseOutputFile } from './action-runner.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Where the outputs are kept between runs (a test points it elsewhere). */
const KEPT = process.env.LOCAL_ACTION_OUTPUTS ?? join(ROOT, '.action-run', 'outputs.json');

class UsageError extends Error {}

function previousOutputs(): Record<string, string> {
  return existsSync(KEPT) ? JSON.parse(readFileSync(KEPT, 'utf8')) : {};
}

/** `name=value` arguments as inputs; `@output` refers to the previous run's output of that name. */
function argumentInputs(args: string[]): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const arg of args) {
    const match = /^([a-z][a-z-]*)=(.*)$/s.exec(arg);
    if (!match?.[1])
      throw new UsageError(`argument "${arg.slice(0, 40)}" is not input=value (such as operation=reveal).`);
    let value = match[2] ?? '';
    if (value.startsWith('@')) {
      const kept = previousOutputs()[value.slice(1)];
      if (kept === undefined)
        throw new UsageError(`${match[1]}=${value}: the previous run has no output "${value.slice(1)}".`);
      value = kept;
    }
    inputs[match[1]] = value;
  }
  return inputs;
}

async function main(args: string[]): Promise<number> {
  const sources = args[0] === '--sources';
  const file = chooseEnvFile(ROOT);
  const defaults = actionDefaults(ROOT);
  const fromArgs = argumentInputs(sources ? args.slice(1) : args);
  const dir = mkdtempSync(join(tmpdir(), 'ots-local-action-'));
  const files = { GITHUB_OUTPUT: 'output', GITHUB_STEP_SUMMARY: 'summary', GITHUB_ENV: 'env' };
  const env: Record<string, string> = { GITHUB_ACTIONS: 'true', CI: 'true', RUNNER_TEMP: dir };
  for (const [name, value] of Object.entries(defaults)) env[inputVariable(name)] = value;
  Object.assign(env, file.values);
  for (const [name, value] of Object.entries(process.env))
    if (name.startsWith('INPUT_') && value !== undefined) env[name] = value;
  for (const [name, value] of Object.entries(fromArgs)) env[inputVariable(name)] = value;
  for (const [variable, name] of Object.entries(files)) {
    env[variable] = join(dir, name);
    writeFileSync(env[variable], '');
  }
  const entry = sources ? ['--import', 'tsx', 'action/index.ts'] : ['action/dist/index.js'];
  console.log(
    `Running ${sources ? 'action/index.ts (sources)' : 'action/dist/index.js'} as a runner does, inputs from ${file.name}:`,
  );
  try {
    const log = new MaskedLog();
    const code = await runNode(entry, { ...process.env, ...env }, log);
    const outputs = parseOutputFile(readFileSync(env.GITHUB_OUTPUT ?? '', 'utf8'));
    mkdirSync(dirname(KEPT), { recursive: true });
    writeFileSync(KEPT, `${JSON.stringify(outputs, null, 2)}\n`, { mode: 0o600 });
    console.log('\n--- outputs (masked values as ***; `name=@output` passes one to the next run)');
    for (const [name, value] of Object.entries(outputs)) console.log(`${name}=${log.hide(value)}`);
    console.log('\n--- step summary');
    console.log(log.hide(readFileSync(env.GITHUB_STEP_SUMMARY ?? '', 'utf8')).trimEnd() || '(empty)');
    console.log(`\nexit code ${code}`);
    return code;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runNode(args: string[], env: NodeJS.ProcessEnv, log: MaskedLog): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const [stream, out] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr],
    ] as const) {
      createInterface({ input: stream }).on('line', (line) => {
        const shown = log.line(line);
        if (shown !== undefined) out.write(`${shown}\n`);
      });
    }
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof UsageError ? `npm run local-action: ${error.message}` : error);
    process.exitCode = 2;
  },
);
