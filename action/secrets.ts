/**
 * The secret operations: share, generate, reveal, receipt and burn. Every key, link and value a call returns is masked before
 * it is set as an output; the summary and the log get one line that names only the target and states.
 */
import type { Client, ClientOptions, SecretResult } from '../src/index.js';
import { loggerFor } from './logger.js';
import type { Masker } from './masking.js';
import type { CoreDeps, CorePort } from './ports.js';
import { BURNED, GENERATED, RECEIPT, REVEALED, SHARED, setOutputs } from './secret-outputs.js';
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
    target: 'configured' in settings ? settings.configured : settings.target,
    username: settings.credentials?.username,
    token: settings.credentials?.token,
    apiVersion: settings.apiVersion,
    timeoutMs: settings.timeoutMs,
    logger: loggerFor(core),
    allowHttp: settings.allowHttp,
  };
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
