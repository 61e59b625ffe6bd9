/**
 * share, generate, reveal, receipt and burn. Every key, link and value a call returns is masked before
 * it is set as an output; the summary and the log get one line that names only the target and states.
 */
import type { BurnResult, Client, ClientOptions, Receipt, RevealResult, SecretResult } from '../src/index.js';
import { loggerFor } from './logger.js';
import type { Masker } from './masking.js';
import type { CoreDeps, CorePort } from './ports.js';
import type { CreateSettings, KeySettings } from './settings.js';
import { flushSummary, writeLineSummary } from './summary.js';

export async function runSecretOperation(
  settings: CreateSettings | KeySettings,
  core: CorePort,
  deps: CoreDeps,
  masker: Masker,
): Promise<void> {
  if ('key' in settings) masker.mask(settings.key.key);
  const client = deps.createClient(clientOptions(settings, core));
  const line = await perform(settings, client, core, masker);
  core.info(line);
  writeLineSummary(core.summary, line);
  await flushSummary(core);
}

function clientOptions(settings: CreateSettings | KeySettings, core: CorePort): ClientOptions {
  return {
    region: settings.region,
    domain: settings.domain,
    username: settings.credentials?.username,
    token: settings.credentials?.token,
    apiVersion: settings.apiVersion,
    timeoutMs: settings.timeoutMs,
    logger: loggerFor(core),
    allowHttp: settings.allowHttp,
  };
}

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

const SHARED: readonly OutputRow<SecretResult>[] = [
  { output: 'secret-url', field: 'secretUrl', masked: true },
  { output: 'secret-key', field: 'secretKey', masked: true },
  { output: 'receipt-url', field: 'receiptUrl', masked: true },
  { output: 'receipt-key', field: 'receiptKey', masked: true },
  { output: 'expires-at', field: 'expiresAt' },
  { output: 'ttl', field: 'ttl' },
];

const GENERATED: readonly OutputRow<SecretResult>[] = [
  ...SHARED,
  { output: 'value', field: 'value', masked: true },
];

const REVEALED: readonly OutputRow<RevealResult>[] = [
  { output: 'value', field: 'value', masked: true },
  { field: 'secretKey', masked: true },
];

const RECEIPT: readonly OutputRow<Receipt>[] = [
  { field: 'receiptKey', masked: true },
  { field: 'receiptUrl', masked: true },
  { field: 'secretKey', masked: true },
  { field: 'secretUrl', masked: true },
  { output: 'state', field: 'state' },
  { output: 'receipt', field: WHOLE_RESULT },
];

const BURNED: readonly OutputRow<BurnResult>[] = [
  { field: 'receiptKey', masked: true },
  { output: 'state', field: 'state' },
];

/** Masks every secret of the result first, then sets the outputs in the order of the rows. */
function setOutputs<R extends object>(
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

/** Calls the client, sets the outputs, and returns the line for the log and summary. */
async function perform(
  settings: CreateSettings | KeySettings,
  client: Client,
  core: CorePort,
  masker: Masker,
): Promise<string> {
  const where = settings.target.name;
  switch (settings.operation) {
    case 'share':
    case 'generate': {
      const result = await create(settings, client);
      setOutputs(result, settings.operation === 'share' ? SHARED : GENERATED, core, masker);
      return createdLine(settings, result);
    }
    case 'reveal': {
      const result = await client.reveal(settings.keyInput, { passphrase: settings.passphrase });
      setOutputs(result, REVEALED, core, masker);
      return `Revealed a secret from ${where}: it cannot be read again.`;
    }
    case 'receipt': {
      const receipt = await client.receipt(settings.keyInput);
      setOutputs(receipt, RECEIPT, core, masker);
      return `Read a receipt on ${where}: the secret is ${receipt.state}.`;
    }
    case 'burn': {
      const result = await client.burn(settings.keyInput, { passphrase: settings.passphrase });
      setOutputs(result, BURNED, core, masker);
      return `Burned a secret on ${where}: its receipt is ${result.state}.`;
    }
  }
}

function create(settings: CreateSettings, client: Client): Promise<SecretResult> {
  const options = { ttl: settings.ttl, passphrase: settings.passphrase, recipient: settings.recipient };
  return settings.operation === 'share'
    ? client.share({ ...options, secret: settings.secret ?? '' })
    : client.generate(options);
}

function createdLine(settings: CreateSettings, result: SecretResult): string {
  const verb = settings.operation === 'share' ? 'Shared a secret' : 'Generated a secret';
  const lock = result.passphraseRequired ? ', passphrase required' : '';
  const mailed =
    settings.recipient.length > 0 ? `, link sent to ${settings.recipient.length} recipient(s)` : '';
  return `${verb} on ${settings.target.name}: it can be read once until ${result.expiresAt} (${result.ttl} s${lock}${mailed}).`;
}
