/**
 * `npm run bench` runs every benchmark, prints a table and writes bench/RESULTS.md with the machine's
 * details. `npm run bench -- fanout keepalive` runs only those, and writes bench/.tmp/RESULTS.<names>.md
 * so the committed full results stay whole.
 */
import { fileURLToPath } from 'node:url';
import { actionCold } from './action-cold.js';
import { actionSize } from './action-size.js';
import { fanout } from './fanout.js';
import { functionCold } from './function-cold.js';
import { keepalive } from './keepalive.js';
import type { Benchmark } from './lib/benchmark.js';
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
    const outcome = await bench.run();
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

await main();
