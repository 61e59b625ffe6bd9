/**
 * 4. Action cold run: `node action/dist/index.js` (as a runner starts it, with INPUT_* variables and the
 * GITHUB_* files) doing one status check against the sandbox, against the smallest Node program that
 * makes the same request (bench/baselines/bare-status.mjs) and against curl. Fresh Node 24 processes.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSandbox } from '../sandbox/index.js';
import { actionDefaults, parseOutputFile } from '../test/action/harness.js';
import type { Benchmark } from './lib/benchmark.js';
import { node24 } from './lib/node24.js';
import { benchFile, ROOT } from './lib/paths.js';
import { cleanEnv, runOk } from './lib/spawn.js';
import { formatMs, median, pairedRatio } from './lib/stats.js';

const RUNS = 15;
const GOAL = 2;

type Variant = 'action' | 'node' | 'curl';

async function actionEnv(sandboxUrl: string): Promise<{ env: NodeJS.ProcessEnv; output: string }> {
  const dir = benchFile('.tmp/action-run');
  mkdirSync(dir, { recursive: true });
  const files = { GITHUB_OUTPUT: 'output', GITHUB_STEP_SUMMARY: 'summary', GITHUB_ENV: 'env' };
  const extra: Record<string, string> = { RUNNER_TEMP: dir };
  for (const [name, file] of Object.entries(files)) extra[name] = join(dir, file);
  const inputs = { ...(await actionDefaults()), operation: 'status', domain: sandboxUrl };
  for (const [name, value] of Object.entries(inputs)) extra[`INPUT_${name.toUpperCase()}`] = value;
  return { env: cleanEnv(extra), output: extra.GITHUB_OUTPUT! };
}

export const actionCold: Benchmark = {
  name: 'action-cold',
  title: '4. Action cold run: one status check',
  async run() {
    const sandbox = await startSandbox();
    const url = `${sandbox.url}/api/v2/status`;
    const { env, output } = await actionEnv(sandbox.url);
    const node = node24().path;
    const commands: Record<Variant, () => Promise<number>> = {
      action: async () => {
        writeFileSync(output, '');
        const exit = await runOk(node, [join(ROOT, 'action/dist/index.js')], { env });
        const status = parseOutputFile(readFileSync(output, 'utf8')).status;
        if (status !== 'nominal') throw new Error(`the action reported ${status}:\n${exit.stdout}`);
        return exit.wallMs;
      },
      node: async () => {
        const exit = await runOk(node, [benchFile('baselines/bare-status.mjs'), url], { env: cleanEnv() });
        if (exit.stdout.trim() !== 'nominal') throw new Error(`bare program printed ${exit.stdout}`);
        return exit.wallMs;
      },
      curl: async () => (await runOk('curl', ['-sS', '--fail', '-o', '/dev/null', url])).wallMs,
    };
    const times: Record<Variant, number[]> = { action: [], node: [], curl: [] };
    try {
      for (const run of Object.values(commands)) await run(); // warm the file cache
      for (let i = 0; i < RUNS; i++) {
        for (const [name, run] of Object.entries(commands)) times[name as Variant].push(await run());
      }
    } finally {
      await sandbox.stop();
    }
    const ratio = pairedRatio(times.action, times.node);
    return {
      method:
        `${RUNS} runs, each spawning the three commands in turn (${node24().version}; curl for the floor), ` +
        'timed from spawn to exit. The action gets the inputs a runner would pass (action.yml defaults, ' +
        'operation status, domain the sandbox) and writes its outputs and summary to files.',
      rows: [
        {
          measure: 'node action/dist/index.js (status)',
          median: formatMs(median(times.action)),
          baseline: `${formatMs(median(times.node))} (bare Node fetch program)`,
          ratio,
          goal: `≤ ${GOAL}×`,
          met: ratio <= GOAL,
        },
        {
          measure: 'bare Node fetch program vs curl',
          median: formatMs(median(times.node)),
          baseline: `${formatMs(median(times.curl))} (curl)`,
          ratio: pairedRatio(times.node, times.curl),
        },
      ],
      notes: [],
      misses: ratio <= GOAL ? [] : ['The action took more than twice the bare program: see the notes.'],
    };
  },
};
