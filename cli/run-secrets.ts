/** share, generate, reveal, receipt, burn, recent: one client call each, then print its result. */
import type { Client, Receipt, SecretResult } from '../src/index.js';
import { createClient, type KeyArgument, linkKey, parseTtl } from '../src/index.js';
import { type RunContext, writeJson } from './context.js';
import { formatBurn, formatDuration, formatReceipt, formatRecent, formatSecretResult } from './format.js';
import { readStdin } from './io.js';
import { readPassphrase } from './passphrase.js';
import { clientOptions } from './settings.js';
import { UsageError } from './usage-error.js';

/** Everything is checked (target, credentials, TTL, passphrase file) before stdin is read or a request sent. */
function makeClient(ctx: RunContext, keyArgument?: KeyArgument): Client {
  return createClient(clientOptions(ctx.flags, ctx.io.env, ctx.logger, ctx.redactor, keyArgument));
}

async function passphraseOf(ctx: RunContext): Promise<string | undefined> {
  const passphrase = await readPassphrase(ctx.flags.passphraseFile, ctx.io.env);
  ctx.redactor.add(passphrase);
  return passphrase;
}

function ttlOf(ctx: RunContext): number | undefined {
  return ctx.flags.ttl === undefined ? undefined : parseTtl(ctx.flags.ttl, '--ttl');
}

function recipientsOf(ctx: RunContext): string[] | undefined {
  return ctx.flags.recipients.length === 0 ? undefined : ctx.flags.recipients;
}

function registerLinks(ctx: RunContext, result: Partial<SecretResult & Receipt>): void {
  for (const value of [
    result.secretKey,
    result.secretUrl,
    result.receiptKey,
    result.receiptUrl,
    result.value,
  ]) {
    ctx.redactor.add(value);
  }
}

function printSecretResult(ctx: RunContext, result: SecretResult, requestedTtl?: number): number {
  registerLinks(ctx, result);
  if (requestedTtl !== undefined && result.ttl > 0 && result.ttl < requestedTtl) {
    ctx.stderr.write(
      `ots: the server clamped --ttl ${formatDuration(requestedTtl)} to ${formatDuration(result.ttl)}, ` +
        "the longest this account's plan allows.\n",
    );
  }
  if (ctx.flags.json) writeJson(ctx, result);
  else ctx.io.stdout.write(formatSecretResult(result));
  return 0;
}

export async function runShare(ctx: RunContext): Promise<number> {
  const ttl = ttlOf(ctx);
  const passphrase = await passphraseOf(ctx);
  const client = makeClient(ctx);
  const secret = await readStdin(ctx.io.stdin, 'the secret', 'ots share < file');
  if (secret === '') throw new UsageError('the secret on stdin is empty; nothing was sent');
  ctx.redactor.add(secret);
  const result = await client.share({ secret, ttl, passphrase, recipient: recipientsOf(ctx) });
  return printSecretResult(ctx, result, ttl);
}

export async function runGenerate(ctx: RunContext): Promise<number> {
  const ttl = ttlOf(ctx);
  const passphrase = await passphraseOf(ctx);
  const client = makeClient(ctx);
  const result = await client.generate({ ttl, passphrase, recipient: recipientsOf(ctx) });
  return printSecretResult(ctx, result, ttl);
}

/** The key argument, or with `-` the first line of stdin (so it stays out of the process list). */
async function keyOf(ctx: RunContext): Promise<string> {
  const argument = ctx.positionals[0] ?? '';
  const key =
    argument === '-'
      ? (await readStdin(ctx.io.stdin, 'the key', `echo <link> | ots ${ctx.command} -`)).trim()
      : argument;
  if (key === '')
    throw new UsageError(argument === '-' ? 'the key read from stdin is empty' : 'the key is empty');
  ctx.redactor.add(key);
  ctx.redactor.add(linkKey(key));
  return key;
}

export async function runReveal(ctx: RunContext): Promise<number> {
  const passphrase = await passphraseOf(ctx);
  const key = await keyOf(ctx);
  const result = await makeClient(ctx, { key, kind: 'secret' }).reveal(key, { passphrase });
  ctx.redactor.add(result.value);
  if (ctx.flags.json) {
    writeJson(ctx, result);
  } else {
    // The value exactly, so it pipes; a newline only for a terminal, to keep the prompt off it.
    ctx.io.stdout.write(ctx.io.stdout.isTTY ? `${result.value}\n` : result.value);
  }
  return 0;
}

export async function runReceipt(ctx: RunContext): Promise<number> {
  const key = await keyOf(ctx);
  const receipt = await makeClient(ctx, { key, kind: 'receipt' }).receipt(key);
  registerLinks(ctx, receipt);
  if (ctx.flags.json) writeJson(ctx, receipt);
  else ctx.io.stdout.write(formatReceipt(receipt));
  return 0;
}

export async function runBurn(ctx: RunContext): Promise<number> {
  const passphrase = await passphraseOf(ctx);
  const key = await keyOf(ctx);
  const result = await makeClient(ctx, { key, kind: 'receipt' }).burn(key, { passphrase });
  if (ctx.flags.json) writeJson(ctx, result);
  else ctx.io.stdout.write(formatBurn(result));
  return 0;
}

export async function runRecent(ctx: RunContext): Promise<number> {
  const client = makeClient(ctx);
  const receipts = await client.recent();
  for (const receipt of receipts) registerLinks(ctx, receipt);
  if (ctx.flags.json) writeJson(ctx, receipts);
  else ctx.io.stdout.write(formatRecent(receipts));
  return 0;
}
