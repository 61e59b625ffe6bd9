/**
 * The job summary: a table for status checks, one line for the other operations. Only names, states and
 * numbers go here, never a secret, key or link (the summary is a page anyone with read access can see).
 */
import type { StatusReport, TargetStatus } from '../src/index.js';
import type { CorePort, SummaryPort, SummaryTableRow } from './ports.js';

const STATE_ICON: Record<string, string> = { nominal: '🟢', degraded: '🟡', down: '🔴' };

/** Table cells are raw HTML: escape what the server said. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function latencyText(result: TargetStatus): string {
  return result.latencyMs === null ? '–' : `${Math.round(result.latencyMs)} ms`;
}

function roundtripText(result: TargetStatus): string {
  const roundtrip = result.roundtrip;
  if (!roundtrip) return '';
  return roundtrip.ok ? 'round trip ok' : `round trip failed at ${roundtrip.failedStep ?? 'an unknown step'}`;
}

export function statusRows(report: StatusReport): SummaryTableRow[] {
  const header: SummaryTableRow = ['Target', 'State', 'Latency', 'HTTP', 'Auth', 'Details'].map((data) => ({
    data,
    header: true,
  }));
  const rows = report.results.map(
    (r): SummaryTableRow => [
      escapeHtml(r.target),
      `${STATE_ICON[r.state] ?? ''} ${r.state}`.trim(),
      latencyText(r),
      r.httpStatus === null ? '–' : String(r.httpStatus),
      r.auth ?? '–',
      escapeHtml([r.message, roundtripText(r)].filter((t) => t !== '').join('; ')),
    ],
  );
  return [header, ...rows];
}

export function writeStatusSummary(summary: SummaryPort, report: StatusReport): SummaryPort {
  return summary
    .addHeading(
      `Onetime Secret status: ${STATE_ICON[report.state] ?? ''} ${report.state}`.replace('  ', ' '),
      3,
    )
    .addTable(statusRows(report))
    .addRaw(`<p>Checked at ${escapeHtml(report.checkedAt)}.</p>`, true);
}

export function writeLineSummary(summary: SummaryPort, line: string): SummaryPort {
  return summary.addRaw(`<p>${escapeHtml(line)}</p>`, true);
}

/** Writes the buffered summary; a runner without a summary file only gets a warning, not a failure. */
export async function flushSummary(core: Pick<CorePort, 'summary' | 'warning'>): Promise<void> {
  try {
    await core.summary.write();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    core.warning(`Could not write the job summary: ${reason}`);
  }
}
