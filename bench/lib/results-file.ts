/** bench/RESULTS.md: the machine, a summary of the goals, and one section per benchmark. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type BenchResult, markdownTable, verdict } from './report.js';
import { formatRatio } from './stats.js';

function machineTable(machine: readonly [string, string][]): string {
  return ['| | |', '|---|---|', ...machine.map(([key, value]) => `| ${key} | ${value} |`)].join('\n');
}

function summary(results: readonly BenchResult[]): string {
  const lines = ['| benchmark | goal | measured | result |', '|---|---|---:|---|'];
  for (const result of results) {
    for (const row of result.rows.filter((r) => r.met !== undefined)) {
      const measured = row.ratio === undefined ? row.median : `${row.median} (${formatRatio(row.ratio)})`;
      lines.push(
        `| ${result.title.split('.')[0]} ${result.name}: ${row.measure} | ${row.goal} | ${measured} | ${verdict(row.met)} |`,
      );
    }
  }
  return lines.join('\n');
}

function section(result: BenchResult): string {
  const parts = [`## ${result.title}`, '', result.method, '', markdownTable(result)];
  if (result.notes.length > 0) parts.push('', ...result.notes.map((note) => `- ${note}`));
  if (result.misses.length > 0) {
    parts.push('', '**Why the goal is missed, and what it would take:**', '');
    parts.push(...result.misses.map((miss) => `- ${miss}`));
  }
  return parts.join('\n');
}

export function renderResults(
  results: readonly BenchResult[],
  machine: readonly [string, string][],
  command: string,
): string {
  const total = results.reduce((sum, r) => sum + r.seconds, 0);
  return [
    '# onetime-kit benchmarks',
    '',
    `Written by \`${command}\` (${total.toFixed(0)} s). Every figure is a median of several runs; every ratio`,
    'pairs a measurement with its baseline from the same run (the median of the per-run ratios), because',
    'absolute times on a shared 2-core machine say little. Sizes in decimal units (1 KB = 1000 bytes).',
    '',
    '## Machine',
    '',
    machineTable(machine),
    '',
    '## Goals',
    '',
    summary(results),
    '',
    ...results.map((result) => `${section(result)}\n`),
  ].join('\n');
}

export function writeResults(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}
