/**
 * `ots`: parse, run one command, map the outcome to an exit code (0 success, 1 a failed call or check,
 * 2 bad usage). Everything outside the process comes in through `io`, so tests run this in-process.
 */
import {
  AuthError,
  credentialSecrets,
  OtsError,
  rawCredentialsFromEnv,
  ValidationError,
  VERSION,
} from '../src/index.js';
import { type Invocation, parseInvocation } from './args.js';
import type { CommandName } from './commands.js';
import { completionScript } from './completion.js';
import { type RunContext, stderrLogger } from './context.js';
import { commandHelp, generalHelp } from './help.js';
import type { CliIo, CliOutput } from './io.js';
import { Redactor, redactingOutput } from './redact.js';
import { runBurn, runGenerate, runReceipt, runRecent, runReveal, runShare } from './run-secrets.js';
import { runStatus } from './run-status.js';
import { UsageError } from './usage-error.js';

export type { CliIo } from './io.js';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

const RUNNERS: Record<CommandName, (ctx: RunContext) => Promise<number>> = {
  status: runStatus,
  share: runShare,
  generate: runGenerate,
  reveal: runReveal,
  receipt: runReceipt,
  burn: runBurn,
  recent: runRecent,
};

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const redactor = new Redactor();
  redactor.add(io.env.OTS_PASSPHRASE);
  // Before anything can fail: a token pasted where a target or key belongs must not be echoed back.
  const account = rawCredentialsFromEnv(io.env);
  redactor.add(...credentialSecrets(account.username, account.token));
  const stderr = redactingOutput(io.stderr, redactor);
  let invocation: Invocation | undefined;
  try {
    invocation = parseInvocation(argv);
    if (invocation.kind === 'version') return print(io.stdout, `ots ${VERSION}\n`);
    if (invocation.kind === 'completion') return print(io.stdout, completionScript(invocation.shell));
    if (invocation.kind === 'help') {
      return print(io.stdout, invocation.command ? commandHelp(invocation.command) : generalHelp());
    }
    const ctx: RunContext = {
      command: invocation.command.name,
      flags: invocation.flags,
      positionals: invocation.positionals,
      io,
      stderr,
      logger: stderrLogger(stderr),
      redactor,
    };
    return await RUNNERS[invocation.command.name](ctx);
  } catch (error) {
    return report(error, invocation, redactingOutput(io.stdout, redactor), stderr);
  }
}

function print(stdout: CliOutput, text: string): number {
  stdout.write(text);
  return EXIT_OK;
}

/** One line on stderr (and with --json an error object on stdout, redacted too); never a stack trace. */
function report(
  error: unknown,
  invocation: Invocation | undefined,
  stdout: CliOutput,
  stderr: CliOutput,
): number {
  const run = invocation?.kind === 'run' ? invocation : undefined;
  const usage = isUsageError(error);
  const message = error instanceof Error ? error.message : String(error);
  const line =
    error instanceof UsageError || error instanceof OtsError ? message : `unexpected error: ${message}`;
  // A secret created anonymously despite the credentials: its receipt key goes to stdout (where keys
  // belong, as after a share), so the user can burn it; never to stderr.
  const receiptKey = error instanceof AuthError ? error.receiptKey : undefined;
  if (run?.flags.json) {
    const code = error instanceof OtsError ? error.code : usage ? 'usage' : 'unexpected';
    const httpStatus = error instanceof OtsError ? error.httpStatus : undefined;
    stdout.write(`${JSON.stringify({ error: { code, message: line, httpStatus, receiptKey } }, null, 2)}\n`);
  } else if (receiptKey !== undefined) {
    stdout.write(`receipt key\t${receiptKey}\n`);
  }
  stderr.write(`ots: ${line}\n`);
  if (!usage) return EXIT_FAILED;
  const command = run?.command.name ?? (error instanceof UsageError ? error.command : undefined);
  stderr.write(`Run \`ots ${command ? `${command} ` : ''}--help\` for usage.\n`);
  return EXIT_USAGE;
}

/**
 * Bad input caught before any request: ours, or the core's refusal the server did not send (a
 * ValidationError, or an AuthError such as `recent` without an account, like `share --recipient`).
 */
function isUsageError(error: unknown): boolean {
  if (error instanceof UsageError) return true;
  const local = error instanceof OtsError && error.httpStatus === undefined;
  return local && (error instanceof ValidationError || error instanceof AuthError);
}
