/**
 * A typed stand-in for `@actions/core` (the runner cannot run here): inputs from a record, and every
 * call recorded in order, so tests can check what was masked before what was printed or set.
 */
import type { CorePort, SummaryPort, SummaryTableRow } from '../../action/ports.js';

export type CoreEvent =
  | { kind: 'setSecret'; value: string }
  | { kind: 'setOutput'; name: string; value: string }
  | { kind: 'setFailed'; message: string }
  | { kind: 'info' | 'warning' | 'notice' | 'debug'; message: string }
  | { kind: 'summary'; text: string };

export interface FakeCore extends CorePort {
  events: CoreEvent[];
  outputs: Record<string, string>;
  failures: string[];
  masked: Set<string>;
  /** Everything that a person could read: log lines, failures and the summary. */
  printed(): string;
}

export function fakeCore(inputs: Record<string, string>): FakeCore {
  const events: CoreEvent[] = [];
  const outputs: Record<string, string> = {};
  const failures: string[] = [];
  const masked = new Set<string>();
  const summary: SummaryPort = {
    addHeading(text: string) {
      events.push({ kind: 'summary', text });
      return summary;
    },
    addTable(rows: SummaryTableRow[]) {
      const text = rows.map((row) =>
        row.map((cell) => (typeof cell === 'string' ? cell : cell.data)).join(' | '),
      );
      events.push({ kind: 'summary', text: text.join('\n') });
      return summary;
    },
    addRaw(text: string) {
      events.push({ kind: 'summary', text });
      return summary;
    },
    async write() {
      return summary;
    },
  };
  const log = (kind: 'info' | 'warning' | 'notice' | 'debug') => (message: string) => {
    events.push({ kind, message });
  };
  return {
    events,
    outputs,
    failures,
    masked,
    // As the real getInput: trimmed unless asked not to.
    getInput: (name, options) => {
      const value = inputs[name] ?? '';
      return options?.trimWhitespace === false ? value : value.trim();
    },
    setSecret(value) {
      masked.add(value);
      events.push({ kind: 'setSecret', value });
    },
    setOutput(name, value) {
      outputs[name] = String(value);
      events.push({ kind: 'setOutput', name, value: String(value) });
    },
    setFailed(message) {
      const text = message instanceof Error ? message.message : message;
      failures.push(text);
      events.push({ kind: 'setFailed', message: text });
    },
    info: log('info'),
    warning: log('warning'),
    notice: log('notice'),
    debug: log('debug'),
    summary,
    printed() {
      return events
        .map((e) => ('message' in e ? e.message : e.kind === 'summary' ? e.text : ''))
        .filter((t) => t !== '')
        .join('\n');
    },
  };
}
