/**
 * The outputs of each secret operation, one table per operation: adding an output is adding a row. The
 * secrets of a result are masked before any of its outputs is set (action/secrets.ts calls setOutputs).
 */
import type { BurnResult, Receipt, RevealResult, SecretResult } from '../src/index.js';
import type { Masker } from './masking.js';
import type { CorePort } from './ports.js';

/**
 * One row of an operation's outputs: the output it sets (none for a value that is only masked, such as
 * a key that appears inside another output or may be printed), the result field it comes from
 * (WHOLE_RESULT: the result itself, as JSON), and whether that value is a secret.
 */
interface OutputRow<R> {
  output?: string;
  field: (keyof R & string) | typeof WHOLE_RESULT;
  masked?: true;
}

const WHOLE_RESULT = Symbol('the whole result');

export const SHARED: readonly OutputRow<SecretResult>[] = [
  { output: 'secret-url', field: 'secretUrl', masked: true },
  { output: 'secret-key', field: 'secretKey', masked: true },
  { output: 'receipt-url', field: 'receiptUrl', masked: true },
  { output: 'receipt-key', field: 'receiptKey', masked: true },
  { output: 'expires-at', field: 'expiresAt' },
  { output: 'ttl', field: 'ttl' },
];

export const GENERATED: readonly OutputRow<SecretResult>[] = [
  ...SHARED,
  { output: 'value', field: 'value', masked: true },
];

export const REVEALED: readonly OutputRow<RevealResult>[] = [
  { output: 'value', field: 'value', masked: true },
  { field: 'secretKey', masked: true },
];

export const RECEIPT: readonly OutputRow<Receipt>[] = [
  { field: 'receiptKey', masked: true },
  { field: 'receiptUrl', masked: true },
  { field: 'secretKey', masked: true },
  { field: 'secretUrl', masked: true },
  { output: 'state', field: 'state' },
  { output: 'receipt', field: WHOLE_RESULT },
];

export const BURNED: readonly OutputRow<BurnResult>[] = [
  { field: 'receiptKey', masked: true },
  { output: 'state', field: 'state' },
];

/** Masks every secret of the result first, then sets the outputs in the order of the rows. */
export function setOutputs<R extends object>(
  result: R,
  rows: readonly OutputRow<R>[],
  core: CorePort,
  masker: Masker,
): void {
  const text = (row: OutputRow<R>) => outputText(row.field === WHOLE_RESULT ? result : result[row.field]);
  masker.mask(...rows.filter((row) => row.masked).map(text));
  for (const row of rows) if (row.output !== undefined) core.setOutput(row.output, text(row));
}

/** An output is text: a missing field is empty, a number its digits, an object its JSON. */
function outputText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
