/** Human output: plain aligned text that reads at a glance and greps well. */
import type { BurnResult, Receipt, SecretResult, StatusReport, TargetStatus } from '../src/index.js';
import { isHealthy } from './verdict.js';

/** `3600` -> `1h`, `90` -> `1m 30s`, `604800` -> `7d`. */
export function formatDuration(seconds: number): string {
  const units: [string, number][] = [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ];
  const parts: string[] = [];
  let rest = Math.max(0, Math.round(seconds));
  for (const [unit, size] of units) {
    const count = Math.floor(rest / size);
    if (count > 0) parts.push(`${count}${unit}`);
    rest -= count * size;
  }
  return parts.length === 0 ? '0s' : parts.slice(0, 2).join(' ');
}

/** Label/value lines with the values aligned; undefined values are left out. */
export function fields(rows: [string, string | undefined][]): string {
  const present = rows.filter((row): row is [string, string] => row[1] !== undefined);
  const width = Math.max(...present.map(([label]) => label.length));
  return `${present.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n')}\n`;
}

export function formatSecretResult(result: SecretResult): string {
  return fields([
    ['value', result.value],
    ['secret link', result.secretUrl],
    ['receipt link', result.receiptUrl],
    ['ttl', formatDuration(result.ttl)],
    ['expires', result.expiresAt],
    ['passphrase', result.passphraseRequired ? 'required' : 'none'],
  ]);
}

export function formatReceipt(receipt: Receipt): string {
  return fields([
    ['state', receipt.state],
    ['receipt link', receipt.receiptUrl],
    ['secret link', receipt.secretUrl],
    ['ttl', receipt.ttl === undefined ? undefined : formatDuration(receipt.ttl)],
    ['created', receipt.createdAt],
    ['received', receipt.receivedAt],
    ['expires', receipt.expiresAt],
    ['passphrase', receipt.passphraseRequired === undefined ? undefined : yesNo(receipt.passphraseRequired)],
  ]);
}

export function formatBurn(result: BurnResult): string {
  return fields([['state', result.state]]);
}

export function formatRecent(receipts: Receipt[]): string {
  if (receipts.length === 0) return 'no receipts in the last 30 days\n';
  return table(
    ['STATE', 'CREATED', 'EXPIRES', 'RECEIPT LINK'],
    receipts.map((r) => [r.state, r.createdAt ?? '-', r.expiresAt ?? '-', r.receiptUrl]),
  );
}

export function formatStatus(report: StatusReport): string {
  const withAuth = report.results.some((r) => r.auth !== undefined);
  const withRoundtrip = report.results.some((r) => r.roundtrip !== undefined);
  const header = ['TARGET', 'STATE', 'LATENCY', 'HTTP'];
  if (withAuth) header.push('AUTH');
  if (withRoundtrip) header.push('ROUNDTRIP');
  header.push('NOTE');
  const rows = report.results.map((result) => statusRow(result, withAuth, withRoundtrip));
  return table(header, rows) + overallLine(report);
}

function statusRow(result: TargetStatus, withAuth: boolean, withRoundtrip: boolean): string[] {
  const row = [
    result.target,
    result.state,
    result.latencyMs === null ? '-' : `${Math.round(result.latencyMs)} ms`,
    result.httpStatus === null ? '-' : String(result.httpStatus),
  ];
  if (withAuth) row.push(result.auth ?? '-');
  if (withRoundtrip) row.push(roundtripCell(result));
  row.push(isHealthy(result) ? '' : result.message);
  return row;
}

function roundtripCell(result: TargetStatus): string {
  if (result.roundtrip === undefined) return '-';
  if (result.roundtrip.ok) return 'ok';
  return `failed at ${result.roundtrip.failedStep ?? 'unknown step'}`;
}

function overallLine(report: StatusReport): string {
  const counts = new Map<string, number>();
  for (const result of report.results) counts.set(result.state, (counts.get(result.state) ?? 0) + 1);
  const summary = ['nominal', 'degraded', 'down']
    .filter((state) => counts.has(state))
    .map((state) => `${counts.get(state)} ${state}`)
    .join(', ');
  const authFailed = report.results.filter((r) => r.auth === 'failed').length;
  const auth = authFailed > 0 ? `; credentials refused by ${authFailed}` : '';
  return `\noverall: ${report.state} (${summary}${auth})\n`;
}

/** Columns padded to their widest cell; the last column is not padded. */
export function table(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  const line = (row: string[]) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return `${all.map(line).join('\n')}\n`;
}

function yesNo(value: boolean): string {
  return value ? 'required' : 'none';
}
