/**
 * share, generate, reveal, receipt and burn. Every key, link and value a call returns is masked before
 * it is set as an output; the summary and the log get one line that names only the target and states.
 */
import type { Client, ClientOptions } from '../src/index.js';
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
    target: 'configured' in settings ? settings.configured : settings.target,
    username: settings.credentials?.username,
    token: settings.credentials?.token,
    apiVersion: settings.apiVersion,
    timeoutMs: settings.timeoutMs,
    logger: loggerFor(core),
    allowHttp: settings.allowHttp,
  };
}

/** Calls the client, masks and sets the outputs, and returns the line for the log and summary. */
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
      const options = { ttl: settings.ttl, passphrase: settings.passphrase, recipient: settings.recipient };
      const result =
        settings.operation === 'share'
          ? await client.share({ ...options, secret: settings.secret ?? '' })
          : await client.generate(options);
      masker.mask(result.secretKey, result.secretUrl, result.receiptKey, result.receiptUrl, result.value);
      core.setOutput('secret-url', result.secretUrl);
      core.setOutput('secret-key', result.secretKey);
      core.setOutput('receipt-url', result.receiptUrl);
      core.setOutput('receipt-key', result.receiptKey);
      core.setOutput('expires-at', result.expiresAt);
      core.setOutput('ttl', String(result.ttl));
      if (settings.operation === 'generate') core.setOutput('value', result.value ?? '');
      const verb = settings.operation === 'share' ? 'Shared a secret' : 'Generated a secret';
      const lock = result.passphraseRequired ? ', passphrase required' : '';
      const mailed =
        settings.recipient.length > 0 ? `, link sent to ${settings.recipient.length} recipient(s)` : '';
      return `${verb} on ${where}: it can be read once until ${result.expiresAt} (${result.ttl} s${lock}${mailed}).`;
    }
    case 'reveal': {
      const result = await client.reveal(settings.keyInput, { passphrase: settings.passphrase });
      masker.mask(result.value, result.secretKey);
      core.setOutput('value', result.value);
      return `Revealed a secret from ${where}: it cannot be read again.`;
    }
    case 'receipt': {
      const receipt = await client.receipt(settings.keyInput);
      masker.mask(receipt.receiptKey, receipt.receiptUrl, receipt.secretKey, receipt.secretUrl);
      core.setOutput('state', receipt.state);
      core.setOutput('receipt', JSON.stringify(receipt));
      return `Read a receipt on ${where}: the secret is ${receipt.state}.`;
    }
    case 'burn': {
      const result = await client.burn(settings.keyInput, { passphrase: settings.passphrase });
      masker.mask(result.receiptKey);
      core.setOutput('state', result.state);
      return `Burned a secret on ${where}: its receipt is ${result.state}.`;
    }
  }
}
