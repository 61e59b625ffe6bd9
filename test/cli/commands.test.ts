/** Every command in-process against a real sandbox on a loopback port. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../sandbox/index.js';
import type { Sandbox } from '../../sandbox/types.js';
import { runCli } from './run-cli.js';

const ACCOUNT = { username: 'cli-user@example.com', token: 'cli-token-0123456789abcdef' };
const CREDENTIALS = { OTS_USERNAME: ACCOUNT.username, OTS_TOKEN: ACCOUNT.token };

let sandbox: Sandbox;
let domain: string;

beforeAll(async () => {
  sandbox = await startSandbox({ accounts: [ACCOUNT] });
  domain = sandbox.url;
});
afterAll(async () => {
  await sandbox.stop();
});
afterEach(() => {
  sandbox.clearFaults();
});

/** Shares `secret` and returns the parsed --json result. */
async function share(secret: string, extra: string[] = [], env: Record<string, string> = {}) {
  const run = await runCli(['share', '--domain', domain, '--json', ...extra], { stdin: secret, env });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as { secretUrl: string; secretKey: string; receiptUrl: string; ttl: number };
}

describe('ots status', () => {
  it('prints a table and the overall line, exit 0 when nominal', async () => {
    const run = await runCli(['status', '--domain', domain]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^TARGET\s+STATE\s+LATENCY\s+HTTP/);
    expect(run.stdout).toMatch(new RegExp(`127\\.0\\.0\\.1:${sandbox.port}\\s+nominal\\s+\\d+ ms\\s+200`));
    expect(run.stdout).toContain('overall: nominal');
    expect(run.stderr).toBe('');
  });

  it('prints the report as JSON with --json', async () => {
    const run = await runCli(['status', '--domain', domain, '--json']);
    const report = JSON.parse(run.stdout);
    expect(report.state).toBe('nominal');
    expect(report.results).toHaveLength(1);
    expect(report.results[0]).toMatchObject({ state: 'nominal', httpStatus: 200 });
  });

  it('takes targets as arguments', async () => {
    const run = await runCli(['status', domain, '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).results[0].url).toContain(`${domain}/api/v2/status`);
  });

  it('exits 1 when a target is down, 0 with --fail-on never', async () => {
    sandbox.addFault({ path: '/api/v2/status', fault: 'status', status: 500 });
    const down = await runCli(['status', '--domain', domain]);
    expect(down.code).toBe(1);
    expect(down.stdout).toContain('overall: down');
    const never = await runCli(['status', '--domain', domain, '--fail-on', 'never']);
    expect(never.code).toBe(0);
  });

  it('exits 1 on degraded only with --fail-on degraded', async () => {
    sandbox.addFault({ path: '/api/v2/status', latencyMs: 150 });
    const base = ['status', '--domain', domain, '--degraded-ms', '50', '--json'];
    const lenient = await runCli(base);
    expect(JSON.parse(lenient.stdout).state).toBe('degraded');
    expect(lenient.code).toBe(0);
    const strict = await runCli([...base, '--fail-on', 'degraded']);
    expect(strict.code).toBe(1);
  });

  it('checks the credentials from the environment: ok, or failed (down: exit 1 by default)', async () => {
    const ok = await runCli(['status', '--domain', domain, '--json'], { env: CREDENTIALS });
    expect(JSON.parse(ok.stdout).results[0].auth).toBe('ok');
    expect(JSON.parse(ok.stdout).results[0].serverVersion).toBe('0.26.11');
    expect(ok.code).toBe(0);
    const env = { ...CREDENTIALS, OTS_TOKEN: 'revoked-token-000000' };
    const refused = await runCli(['status', '--domain', domain], { env });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/^TARGET\s+STATE\s+LATENCY\s+HTTP\s+AUTH\s+NOTE$/m);
    expect(refused.stdout).toMatch(/\sdown\s.*\sfailed\s.*refused the credentials/);
    expect(refused.stdout).toContain('overall: down');
    expect(refused.stdout).toContain('credentials refused by 1');
    expect(refused.stdout).not.toContain('revoked-token-000000');
    const never = await runCli(['status', '--domain', domain, '--fail-on', 'never'], { env });
    expect(never.code).toBe(0);
  });

  it('speaks API v1 with --api-version v1', async () => {
    const run = await runCli(['status', '--domain', domain, '--api-version', 'v1', '--json']);
    expect(JSON.parse(run.stdout).results[0].url).toContain('/api/v1/status');
  });

  it('shows progress on stderr only when stderr is a terminal', async () => {
    const targets = [domain, domain.replace('127.0.0.1', 'localhost')];
    const piped = await runCli(['status', ...targets]);
    expect(piped.stderr).toBe('');
    const terminal = await runCli(['status', ...targets], { stderrIsTTY: true });
    expect(terminal.stderr).toContain('checking 2 targets');
  });

  it('refuses a bad target with exit 2 and sends nothing', async () => {
    sandbox.resetStats();
    const run = await runCli(['status', 'europe']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/is not a region: use one of ca, eu, nz, uk, us/);
    expect(run.stderr).toContain('Run `ots status --help` for usage.');
    expect(sandbox.requestLog).toHaveLength(0);
  });
});

describe('ots share and reveal', () => {
  it('shares stdin (one trailing newline dropped) and prints the links; reveal prints only the value', async () => {
    const run = await runCli(['share', '--domain', domain, '--ttl', '1h'], { stdin: 'hunter2\n' });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const link = /^secret link\s+(\S+)$/m.exec(run.stdout)?.[1] ?? '';
    expect(link.startsWith(`${domain}/secret/`)).toBe(true);
    expect(run.stdout).toMatch(new RegExp(`^receipt link\\s+${domain}/receipt/\\S+$`, 'm'));
    expect(run.stdout).toMatch(/^ttl\s+1h$/m);
    expect(run.stdout).toMatch(/^expires\s+\d{4}-\d\d-\d\dT/m);

    const reveal = await runCli(['reveal', link, '--domain', domain]);
    expect(reveal).toEqual({ code: 0, stdout: 'hunter2', stderr: '' });
  });

  it('keeps the value byte for byte: inner newlines, a second trailing newline, unicode', async () => {
    const secret = 'line one\nline two ✓\n';
    const shared = await share(`${secret}\n`);
    const reveal = await runCli(['reveal', shared.secretKey, '--domain', domain]);
    expect(reveal.stdout).toBe(secret);
  });

  it('adds a newline after the value only when stdout is a terminal', async () => {
    const shared = await share('hunter2');
    const reveal = await runCli(['reveal', shared.secretUrl, '--domain', domain], { stdoutIsTTY: true });
    expect(reveal.stdout).toBe('hunter2\n');
  });

  it('prints JSON with --json, and the TTL asked for', async () => {
    const shared = await share('hunter2', ['--ttl', '30m']);
    expect(shared.ttl).toBe(1800);
    expect(shared.secretUrl).toBe(`${domain}/secret/${shared.secretKey}`);
    const reveal = await runCli(['reveal', shared.secretKey, '--domain', domain, '--json']);
    expect(JSON.parse(reveal.stdout)).toMatchObject({ value: 'hunter2', secretKey: shared.secretKey });
  });

  it('reveals once: the second reveal exits 1 with a message', async () => {
    const shared = await share('hunter2');
    expect((await runCli(['reveal', shared.secretUrl, '--domain', domain])).code).toBe(0);
    const again = await runCli(['reveal', shared.secretUrl, '--domain', domain]);
    expect(again.code).toBe(1);
    expect(again.stdout).toBe('');
    expect(again.stderr).toMatch(/^ots: .+\n$/);
  });

  it('with --json, a failed call also prints an error object on stdout', async () => {
    const shared = await share('hunter2');
    await runCli(['reveal', shared.secretUrl, '--domain', domain]);
    const again = await runCli(['reveal', shared.secretUrl, '--domain', domain, '--json']);
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout).error.code).toBe('not_found');
  });

  it('reads the key from stdin with -', async () => {
    const shared = await share('hunter2');
    const reveal = await runCli(['reveal', '-', '--domain', domain], { stdin: `${shared.secretUrl}\n` });
    expect(reveal).toEqual({ code: 0, stdout: 'hunter2', stderr: '' });
  });

  it('refuses - when stdin is a terminal, with exit 2', async () => {
    const run = await runCli(['receipt', '-', '--domain', domain], { stdinIsTTY: true });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('the key is read from stdin, and stdin is a terminal');
    expect(run.stderr).toContain('`echo <link> | ots receipt -`');
  });

  it('works the same over API v1', async () => {
    const shared = await share('hunter2', ['--api-version', 'v1']);
    const reveal = await runCli(['reveal', shared.secretUrl, '--domain', domain, '--api-version', 'v1']);
    expect(reveal.stdout).toBe('hunter2');
  });

  it('protects with a passphrase from --passphrase-file or OTS_PASSPHRASE', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ots-cli-'));
    const file = join(dir, 'passphrase');
    await writeFile(file, 'correct horse\n');
    const shared = await share('hunter2', ['--passphrase-file', file]);
    const without = await runCli(['reveal', shared.secretKey, '--domain', domain]);
    expect(without.code).toBe(1);
    const withEnv = await runCli(['reveal', shared.secretKey, '--domain', domain], {
      env: { OTS_PASSPHRASE: 'correct horse' },
    });
    expect(withEnv).toEqual({ code: 0, stdout: 'hunter2', stderr: '' });
  });

  it('refuses a missing passphrase file with exit 2 and sends nothing', async () => {
    sandbox.resetStats();
    const run = await runCli(['share', '--domain', domain, '--passphrase-file', '/nonexistent/pw'], {
      stdin: 'hunter2',
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--passphrase-file could not be read (ENOENT)');
    expect(sandbox.requestLog).toHaveLength(0);
  });
});

describe('ots share: bad usage sends nothing', () => {
  const cases: [string, string[], { stdin?: string; stdinIsTTY?: boolean }, RegExp][] = [
    ['a secret as an argument', ['share', 'hunter2'], { stdin: '' }, /never from an argument/],
    ['a bad --ttl', ['share', '--ttl', 'soon'], { stdin: 'hunter2' }, /^ots: --ttl is not a duration/],
    ['a zero --ttl', ['share', '--ttl', '0'], { stdin: 'hunter2' }, /^ots: --ttl must be a positive/],
    ['an empty stdin', ['share'], { stdin: '' }, /the secret on stdin is empty; nothing was sent/],
    ['a lone newline', ['share'], { stdin: '\n' }, /the secret on stdin is empty/],
    ['stdin on a terminal', ['share'], { stdinIsTTY: true }, /stdin is a terminal; pipe it in/],
    [
      'a recipient without credentials',
      ['share', '--recipient', 'a@example.com'],
      { stdin: 'hunter2' },
      /account/,
    ],
    [
      'a passphrase file that is empty',
      ['share', '--passphrase-file', '/dev/null'],
      { stdin: 'hunter2' },
      /is empty/,
    ],
  ];
  for (const [name, argv, options, message] of cases) {
    it(`refuses ${name} with exit 2`, async () => {
      sandbox.resetStats();
      const run = await runCli([...argv, '--domain', domain], options);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(message);
      expect(run.stderr).toMatch(/Run `ots share --help` for usage\.\n$/);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(run.stderr).not.toContain('hunter2');
      expect(sandbox.requestLog).toHaveLength(0);
    });
  }
});

describe('ots generate', () => {
  it('prints the value and the links; the value reveals', async () => {
    const run = await runCli(['generate', '--domain', domain]);
    expect(run.code).toBe(0);
    const value = /^value\s+(\S+)$/m.exec(run.stdout)?.[1] ?? '';
    const link = /^secret link\s+(\S+)$/m.exec(run.stdout)?.[1] ?? '';
    expect(value.length).toBeGreaterThan(4);
    const reveal = await runCli(['reveal', link, '--domain', domain]);
    expect(reveal.stdout).toBe(value);
  });

  it('prints JSON with --json', async () => {
    const run = await runCli(['generate', '--domain', domain, '--json', '--ttl', '120']);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ ttl: 120, passphraseRequired: false });
    expect(typeof result.value).toBe('string');
  });
});

describe('ots receipt and burn', () => {
  it('shows the receipt of a new secret, then received after a reveal', async () => {
    const shared = await share('hunter2');
    const fresh = await runCli(['receipt', shared.receiptUrl, '--domain', domain]);
    expect(fresh.code).toBe(0);
    expect(fresh.stdout).toMatch(/^state\s+new$/m);
    await runCli(['reveal', shared.secretUrl, '--domain', domain]);
    const after = await runCli(['receipt', shared.receiptUrl, '--domain', domain, '--json']);
    expect(['received', 'viewed']).toContain(JSON.parse(after.stdout).state);
  });

  it('burns a secret, which then cannot be revealed', async () => {
    const shared = await share('hunter2');
    const burn = await runCli(['burn', shared.receiptUrl, '--domain', domain]);
    expect(burn.code).toBe(0);
    expect(burn.stdout).toMatch(/^state\s+burned$/m);
    const reveal = await runCli(['reveal', shared.secretUrl, '--domain', domain]);
    expect(reveal.code).toBe(1);
  });

  it('refuses a secret link where the receipt link is needed, with exit 2', async () => {
    const shared = await share('hunter2');
    const run = await runCli(['burn', shared.secretUrl, '--domain', domain]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/secret link, but this call needs the receipt link/);
  });

  it('refuses a missing key with exit 2', async () => {
    const run = await runCli(['receipt', '--domain', domain]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'ots: receipt needs a key or link (or - to read it from stdin)\nRun `ots receipt --help` for usage.\n',
    );
  });
});

describe('ots recent', () => {
  it('lists the account receipts with credentials from OTS_*', async () => {
    const shared = await share('hunter2', [], CREDENTIALS);
    const run = await runCli(['recent', '--domain', domain, '--json'], { env: CREDENTIALS });
    expect(run.code).toBe(0);
    const receipts = JSON.parse(run.stdout) as { receiptUrl: string }[];
    expect(receipts.map((r) => r.receiptUrl)).toContain(shared.receiptUrl);
    const table = await runCli(['recent', '--domain', domain], { env: CREDENTIALS });
    expect(table.stdout).toMatch(/^STATE\s+CREATED\s+EXPIRES\s+RECEIPT LINK$/m);
  });

  it('is bad usage (exit 2) without credentials, and sends nothing', async () => {
    sandbox.resetStats();
    const run = await runCli(['recent', '--domain', domain]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^ots: /);
    expect(sandbox.requestLog).toHaveLength(0);
  });
});

describe('settings from the environment', () => {
  it('reads ONETIME_CUSTID and ONETIME_APIKEY as fallbacks, and sends them', async () => {
    sandbox.resetStats();
    const env = { ONETIME_CUSTID: ACCOUNT.username, ONETIME_APIKEY: ACCOUNT.token };
    const run = await runCli(['recent', '--domain', domain], { env });
    expect(run.code).toBe(0);
    expect(sandbox.requestLog.every((entry) => entry.authenticated)).toBe(true);
  });

  it('takes the target from OTS_DOMAIN, and from ONETIME_HOST as a fallback', async () => {
    const viaOts = await runCli(['share', '--json'], { stdin: 'hunter2', env: { OTS_DOMAIN: domain } });
    expect(JSON.parse(viaOts.stdout).secretUrl.startsWith(domain)).toBe(true);
    const viaHost = await runCli(['share', '--json'], {
      stdin: 'hunter2',
      env: { ONETIME_HOST: `${domain}/api` },
    });
    expect(JSON.parse(viaHost.stdout).secretUrl.startsWith(domain)).toBe(true);
  });

  it('lets a flag win over the environment', async () => {
    const run = await runCli(['status', '--domain', domain, '--json'], { env: { OTS_REGION: 'eu' } });
    expect(JSON.parse(run.stdout).results.map((r: { url: string }) => r.url)).toEqual([
      `${domain}/api/v2/status`,
    ]);
  });

  it('names a bad variable, with exit 2', async () => {
    const region = await runCli(['share', '--domain', domain], { stdin: 'x', env: { OTS_REGION: 'mars' } });
    expect(region.code).toBe(2);
    expect(region.stderr).toContain('OTS_REGION');
    const half = await runCli(['share', '--domain', domain], { stdin: 'x', env: { OTS_USERNAME: 'a@b.c' } });
    expect(half.code).toBe(2);
    expect(half.stderr).toMatch(/OTS_TOKEN/);
  });

  it('says the region is ignored when a domain is also given (stderr)', async () => {
    const run = await runCli(['share', '--region', 'eu', '--domain', domain], { stdin: 'hunter2' });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^ots: .*region ignored/m);
  });
});

describe('timeouts', () => {
  it('gives up after --timeout seconds with exit 1', async () => {
    sandbox.addFault({ path: '/api/v2/secret/conceal', fault: 'hang', times: 1 });
    const run = await runCli(['share', '--domain', domain, '--timeout', '0.3'], { stdin: 'hunter2' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^ots: .*(time|timed out)/im);
  });
});

describe('help and version', () => {
  it('prints help on stdout with exit 0', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: ots <command> [options]');
    for (const command of ['status', 'share', 'generate', 'reveal', 'receipt', 'burn', 'recent']) {
      expect(run.stdout).toMatch(new RegExp(`^  ${command}\\s`, 'm'));
    }
    const share = await runCli(['share', '--help']);
    expect(share.stdout).toMatch(/^Usage: ots share \[options\] < secret-file$/m);
    expect(share.stdout).toMatch(/^ {2}--passphrase-file <path>\s+read the passphrase from a file/m);
    expect(share.stdout).not.toContain('--depth');
  });

  it('prints the package version', async () => {
    const { readFile } = await import('node:fs/promises');
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));
    const run = await runCli(['--version']);
    expect(run).toEqual({ code: 0, stdout: `ots ${pkg.version}\n`, stderr: '' });
  });

  it('refuses an unknown option with exit 2 and a hint to the command help', async () => {
    const run = await runCli(['status', '--bogus']);
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr: 'ots: unknown option --bogus\nRun `ots status --help` for usage.\n',
    });
  });

  it('refuses an unknown command with exit 2 and a hint', async () => {
    const run = await runCli(['publish']);
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'ots: unknown command "publish"; the commands are: status, share, generate, reveal, receipt, burn, recent, help, completion\n' +
        'Run `ots --help` for usage.\n',
    });
  });
});
