/** What a benchmark returns, and how results are printed and written to bench/RESULTS.md. */
import { formatRatio } from './stats.js';

export interface Row {
  /** What was measured, e.g. `checkStatus, 5 targets`. */
  measure: string;
  /** The median, formatted. */
  median: string;
  /** The baseline's median and what it is, formatted; empty when there is none. */
  baseline?: string;
  /** value ÷ baseline, the median of per-run ratios. */
  ratio?: number;
  goal?: string;
  /** undefined when the row has no goal. */
  met?: boolean;
}

export interface BenchResult {
  name: string;
  title: string;
  /** How it was measured, in a sentence or two. */
  method: string;
  rows: Row[];
  /** Findings worth keeping (what a number means, what was changed). */
  notes: string[];
  /** For each missed goal: why, and what it would take. */
  misses: string[];
  seconds: number;
}

export function verdict(met: boolean | undefined): string {
  if (met === undefined) return '';
  return met ? 'met' : '**missed**';
}

function cells(row: Row): string[] {
  return [
    row.measure,
    row.median,
    row.baseline ?? '',
    row.ratio === undefined ? '' : formatRatio(row.ratio),
    row.goal ?? '',
    verdict(row.met),
  ];
}

const HEADER = ['measure', 'median', 'baseline (median)', 'ratio', 'goal', 'result'];

/** The results as aligned plain-text tables, for the terminal. */
export function textTable(results: readonly BenchResult[]): string {
  const lines: string[] = [];
  for (const result of results) {
    const rows = [HEADER, ...result.rows.map((row) => cells(row).map((c) => c.replace(/\*\*/g, '')))];
    const widths = HEADER.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    lines.push('', `${result.title} (${result.seconds.toFixed(0)} s)`);
    for (const row of rows)
      lines.push(
        `  ${row
          .map((c, i) => c.padEnd(widths[i]!))
          .join('  ')
          .trimEnd()}`,
      );
  }
  return lines.join('\n');
}

export function markdownTable(result: BenchResult): string {
  const escapePipes = (text: string) => text.replace(/\|/g, '\\|');
  const lines = [
    `| ${HEADER.join(' | ')} |`,
    `|${HEADER.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
  ];
  for (const row of result.rows) lines.push(`| ${cells(row).map(escapePipes).join(' | ')} |`);
  return lines.join('\n');
}
