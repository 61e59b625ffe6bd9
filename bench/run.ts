/**
 * `npm run bench` runs every benchmark, prints a table and writes bench/RESULTS.md with the machine's
 * details. `npm run bench -- fanout keepalive` runs only those, and writes bench/.tmp/RESULTS.<names>.md
 * so the committed full results stay whole. Each benchmark runs in a process of its own: some import the
 * functions in process, and a function keeps its configuration for the life of its container (as on
 * Lambda), so a second benchmark in the same process would see the first one's store and targets.
 */
import { spawn } from 'node:child_process';
import { writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { actionCold } from './action-cold.js';
import { actionSize } from './action-size.js';
import { fanout } from './fanout.js';
import { functionCold } from './function-cold.js';
import { keepalive } from './keepalive.js';
import type { Benchmark, Outcome } from './lib/benchmark.js';
import { machineDetails } from './lib/machine.js';
import { type BenchResult, textTable } from './lib/report.js';
import { renderResults, writeResults } from './lib/results-file.js';
import { monitor } from './monitor.js';
import { overhead } from './overhead.js';
import { page } from './page.js';
import { peer } from './peer.js';
import { statusLoad } from './status-load.js';

const BENCHMARKS: readonly Benchmark[] = [
  fanout,
  keepalive,
  overhead,
  actionCold,
  functionCold,
  actionSize,
  statusLoad,
  peer,
  monitor,
  page,
];

function select(names: readonly string[]): Benchmark[] {
  if (names.length === 0) return [...BENCHMARKS];
  const unknown = names.filter((name) => !BENCHMARKS.some((b) => b.name === name));
  if (unknown.length > 0) {
    console.error(
      `Unknown benchmark ${unknown.join(', ')}: use one or more of ${BENCHMARKS.map((b) => b.name).join(', ')}.`,
    );
    process.exit(2);
  }
  return BENCHMARKS.filter((b) => names.includes(b.name));
}

async function main(): Promise<void> {
  const chosen = select(process.argv.slice(2));
  const results: BenchResult[] = [];
  for (const bench of chosen) {
    console.log(`running ${bench.name} ...`);
    const started = performance.now();
    const outcome = await runAlone(bench.name);
    const result = {
      name: bench.name,
      title: bench.title,
      ...outcome,
      seconds: (performance.now() - started) / 1000,
    };
    results.push(result);
    console.log(textTable([result]));
  }
  const whole = chosen.length === BENCHMARKS.length;
  const command = whole ? 'npm run bench' : `npm run bench -- ${chosen.map((b) => b.name).join(' ')}`;
  const file = whole ? 'RESULTS.md' : `.tmp/RESULTS.${chosen.map((b) => b.name).join('.')}.md`;
  const path = fileURLToPath(new URL(file, import.meta.url));
  writeResults(path, renderResults(results, machineDetails(), command));
  console.log(`\nAll results:${textTable(results)}\n\nWritten to ${path}`);
  const missed = results.flatMap((r) =>
    r.rows.filter((row) => row.met === false).map((row) => `${r.name}: ${row.measure}`),
  );
  if (missed.length > 0) console.log(`Goals missed: ${missed.join('; ')}`);
}

/** Runs one benchmark in a fresh process (this script, with the same loader), its outcome on file descriptor 3. */
function runAlone(name: string): Promise<Outcome> {
  const script = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, [...process.execArgv, script, ONE, name], {
    stdio: ['ignore', 'inherit', 'inherit', 'pipe'],
  });
  let json = '';
  child.stdio[3]?.on('data', (chunk: Buffer) => {
    json += chunk.toString('utf8');
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0 && json !== '') resolve(JSON.parse(json) as Outcome);
      else reject(new Error(`benchmark ${name} failed (exit ${code}): see its output above`));
    });
  });
}

/** The child's side: run the one benchmark and hand its outcome back. */
async function runOne(name: string): Promise<void> {
  const bench = BENCHMARKS.find((b) => b.name === name);
  if (bench === undefined) throw new Error(`unknown benchmark ${name}`);
  const outcome = await bench.run();
  writeSync(3, JSON.stringify(outcome));
  // Open handles a benchmark left (an agent's idle sockets) must not keep the run waiting.
  process.exit(0);
}

const ONE = '--one-benchmark';
if (process.argv[2] === ONE) await runOne(process.argv[3] ?? '');
else await main();
