/**
 * `npm run sandbox`: the sandbox on 127.0.0.1 (port from --port, then PORT, then 7143) until SIGINT or
 * SIGTERM. `--port 0` picks a free port; the first line printed is the URL.
 */
import { parseArgs } from 'node:util';
import { validateFaultRule } from './faults.js';
import { DEFAULT_SANDBOX_ACCOUNT, startSandbox } from './index.js';
import { SERVER_LINES } from './profiles.js';
import type { FaultRule, SandboxAccount } from './types.js';

const DEFAULT_PORT = 7143;
/** A local account for trying things out; its token is documented in the README, not a real secret. */
const DEFAULT_ACCOUNT: SandboxAccount = { ...DEFAULT_SANDBOX_ACCOUNT };

const USAGE = `Usage: npm run sandbox -- [options]

  --port <n>             port on 127.0.0.1 (default: $PORT, else ${DEFAULT_PORT}; 0 = any free port)
  --account <user:token> an account (repeatable); default ${DEFAULT_ACCOUNT.username}, token in the README
  --plan <free|identity> plan of the accounts given (default identity: TTLs up to 30 days)
  --fault <json>         a fault rule to start with (repeatable), e.g. '{"path":"/api/v2/*","fault":"hang"}'
  --server <0.26|0.24|0.23>   the server line to imitate (default 0.26, i.e. v0.26.11)
  --v2-types <native|string>  how v2 records carry numbers and booleans (default: the line's)
  --create-limit <n>     anonymous creations per masked address per hour (default: no limit)
  --help                 this text`;

class UsageError extends Error {}

function parsePort(text: string, source: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) {
    throw new UsageError(`${source} must be a port number from 0 to 65535, got "${text}"`);
  }
  return port;
}

function parseAccount(text: string, plan: SandboxAccount['plan']): SandboxAccount {
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1) {
    throw new UsageError('--account must be "username:token", both parts non-empty');
  }
  return { username: text.slice(0, colon), token: text.slice(colon + 1), plan };
}

function parseFault(text: string): FaultRule {
  try {
    return validateFaultRule(JSON.parse(text));
  } catch (error) {
    const reason = error instanceof SyntaxError ? 'not JSON' : (error as Error).message;
    throw new UsageError(`--fault must be a JSON FaultRule object (${reason})`);
  }
}

function parseCreateLimit(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[1-9]\d{0,6}$/.test(text)) {
    throw new UsageError(`--create-limit must be a whole number from 1 to 9999999, got "${text}"`);
  }
  return Number(text);
}

function oneOf<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  name: string,
): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T))
    throw new UsageError(`${name} must be one of ${allowed.join(', ')}, got "${value}"`);
  return value as T;
}

function readOptions(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      account: { type: 'string', multiple: true },
      plan: { type: 'string' },
      fault: { type: 'string', multiple: true },
      'v2-types': { type: 'string' },
      server: { type: 'string' },
      'create-limit': { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  const plan = oneOf(values.plan, ['free', 'identity'] as const, '--plan');
  const port =
    values.port !== undefined
      ? parsePort(values.port, '--port')
      : process.env.PORT
        ? parsePort(process.env.PORT, 'PORT')
        : DEFAULT_PORT;
  const accounts = values.account?.map((text) => parseAccount(text, plan)) ?? [{ ...DEFAULT_ACCOUNT, plan }];
  return {
    help: values.help === true,
    port,
    accounts,
    usingDefaultAccount: values.account === undefined,
    faults: values.fault?.map(parseFault) ?? [],
    v2Types: oneOf(values['v2-types'], ['native', 'string'] as const, '--v2-types'),
    server: oneOf(values.server, SERVER_LINES, '--server'),
    createLimit: parseCreateLimit(values['create-limit']),
  };
}

async function main(): Promise<void> {
  let options: ReturnType<typeof readOptions>;
  try {
    options = readOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    process.exit(2);
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const sandbox = await startSandbox({
    port: options.port,
    accounts: options.accounts,
    faults: options.faults,
    v2Types: options.v2Types,
    server: options.server,
    createLimit: options.createLimit,
  });
  const names = options.accounts.map((account) => account.username).join(', ');
  const tokenNote = options.usingDefaultAccount
    ? ' (default account; its token is in README.md, "Sandbox")'
    : '';
  process.stdout.write(
    `OTS sandbox listening on ${sandbox.url}\n` +
      `  server: v${(options.server ?? '0.26') === '0.26' ? '0.26.11' : options.server} behaviours\n` +
      `  accounts: ${names}${tokenNote}\n` +
      `  try: curl ${sandbox.url}/api/v1/status\n` +
      `  admin: ${sandbox.url}/__sandbox/faults | /log | /stats | /reset\n`,
  );
  const shutdown = (signal: string) => {
    process.stdout.write(`${signal}: stopping the sandbox\n`);
    sandbox.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `sandbox failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
