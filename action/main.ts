/**
 * The action: read the inputs, mask every secret input, validate everything, then run one operation.
 * `run()` takes `@actions/core` and the core's factories as parameters, so tests pass fakes without
 * module mocks; called with no arguments (as `npm run local-action` does) it uses the real ones.
 */
import * as realCore from '@actions/core';
import { AuthError, checkStatus, createClient, credentialSecrets, linkKey, OtsError } from '../src/index.js';
import { InputError } from './input-error.js';
import { loggerFor } from './logger.js';
import { Masker } from './masking.js';
import type { CoreDeps, CorePort } from './ports.js';
import { runSecretOperation } from './secrets.js';
import { INPUT_NAMES, type Notice, parseSettings, type RawInputs, UNTRIMMED_INPUTS } from './settings.js';
import { runStatus } from './status.js';

export async function run(
  core: CorePort = realCore,
  deps: CoreDeps = { createClient, checkStatus },
): Promise<void> {
  const masker = new Masker(core);
  try {
    const raw = readInputs(core);
    maskInputs(raw, masker);
    const settings = parseSettings(raw);
    printNotices(settings.notices, core);
    if (settings.operation === 'status') await runStatus(settings, core, deps);
    else await runSecretOperation(settings, core, deps, masker);
  } catch (error) {
    keepReceiptKey(error, core, masker);
    core.setFailed(failureMessage(error, masker));
  }
}

/** The core's notices from resolving the target, through the action's logger, once per run. */
function printNotices(notices: readonly Notice[], core: CorePort): void {
  const logger = loggerFor(core);
  for (const { level, message } of notices) logger[level]?.(message);
}

export function readInputs(core: Pick<CorePort, 'getInput'>): RawInputs {
  const raw = {} as RawInputs;
  for (const name of INPUT_NAMES) {
    raw[name] = core.getInput(name, { trimWhitespace: !UNTRIMMED_INPUTS.includes(name) });
  }
  return raw;
}

/** Masks every input that is or carries a secret, before any check can print anything. */
export function maskInputs(raw: RawInputs, masker: Masker): void {
  // The token with the Basic value built from it, which GitHub would not mask by itself.
  masker.mask(...credentialSecrets(raw.username, raw.token), raw.secret, raw.passphrase, raw.key);
  // A link carries its key: mask the key alone too, it may be printed on its own.
  masker.mask(linkKey(raw.key));
}

/**
 * A secret created anonymously despite the credentials exists: its receipt key, masked, becomes the
 * `receipt-key` output so a later step can burn it.
 */
function keepReceiptKey(error: unknown, core: CorePort, masker: Masker): void {
  if (!(error instanceof AuthError) || error.receiptKey === undefined) return;
  masker.mask(error.receiptKey);
  core.setOutput('receipt-key', error.receiptKey);
}

/**
 * Our own errors and the core's are written without secrets, but may quote a server that echoed the
 * request; anything else (a bug, a runtime error) could quote a value. So every masked value is cut
 * out of each, in every wire form, before it reaches the `::error::` line.
 */
function failureMessage(error: unknown, masker: Masker): string {
  if (error instanceof InputError || error instanceof OtsError) return masker.redact(error.message);
  const detail = error instanceof Error ? error.message : String(error);
  return `Unexpected error: ${masker.redact(detail)}`;
}
