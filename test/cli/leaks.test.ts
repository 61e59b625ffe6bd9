/**
 * Secrets never reach stderr: the token, its Basic value, the passphrase, the secret value, and keys
 * and links, on success and on every failure path we can provoke against the sandbox.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunContext } from '../../cli/context.js';
import { Redactor, redactingOutput } from '../../cli/redact.js';
import { runStatus } from '../../cli/run-status.js';
import { startSandbox } from '../../sandbox/index.js';
import type { Sandbox } from '../../sandbox/types.js';
import { parseCheckSettings } from '../../src/index.js';
import { encodableText, wireForms } from '../wire-forms.js';
import { type CliRun, runCli } from './run-cli.js';

const ACCOUNT = { username: 'leak-test@example.com', token: 'tok-LEAKCANARY-4f9d2a' };
const BASIC = Buffer.from(`${ACCOUNT.username}:${ACCOUNT.token}`).toString('base64');
const PASSPHRASE = 'pass-LEAKCANARY-77';
const SECRET = 'secret-LEAKCANARY-value';
const ENV = { OTS_USERNAME: ACCOUNT.username, OTS_TOKEN: ACCOUNT.token };

let sandbox: Sandbox;
let domain: string;
let passphraseFile: string;

beforeAll(async () => {
  sandbox = await startSandbox({ accounts: [ACCOUNT] });
  domain = sandbox.url;
  passphraseFile = join(await mkdtemp(join(tmpdir(), 'ots-leak-')), 'pw');
  await writeFile(passphraseFile, `${PASSPHRASE}\n`);
});
afterAll(async () => {
  await sandbox.stop();
});

function expectClean(run: CliRun, extra: string[] = []): void {
  for (const canary of [ACCOUNT.token, BASIC, PASSPHRASE, SECRET, 'LEAKCANARY', ...extra]) {
    expect(run.stderr).not.toContain(canary);
  }
}

async function shareWithPassphrase(): Promise<{ secretUrl: string; secretKey: string; receiptUrl: string }> {
  const run = await runCli(['share', '--domain', domain, '--json', '--passphrase-file', passphraseFile], {
    stdin: SECRET,
    env: ENV,
  });
  expect(run.code).toBe(0);
  expectClean(run);
  return JSON.parse(run.stdout);
}

describe('nothing secret on stderr', () => {
  it('share and reveal, with a notice on stderr (region ignored)', async () => {
    const run = await runCli(
      ['share', '--region', 'eu', '--domain', domain, '--passphrase-file', passphraseFile],
      {
        stdin: SECRET,
        env: ENV,
      },
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/region ignored/);
    expectClean(run);
    const link = /^secret link\s+(\S+)$/m.exec(run.stdout)?.[1] ?? '';
    const reveal = await runCli(['reveal', link, '--domain', domain], {
      env: { ...ENV, OTS_PASSPHRASE: PASSPHRASE },
    });
    expect(reveal.stdout).toBe(SECRET);
    expectClean(reveal, [link]);
  });

  it('a wrong passphrase, and a consumed link', async () => {
    const shared = await shareWithPassphrase();
    const wrong = await runCli(['reveal', shared.secretUrl, '--domain', domain], {
      env: { ...ENV, OTS_PASSPHRASE: 'not-the-LEAKCANARY' },
    });
    expect(wrong.code).toBe(1);
    expectClean(wrong, [shared.secretUrl, shared.secretKey, 'not-the-LEAKCANARY']);
    await runCli(['reveal', shared.secretUrl, '--domain', domain], {
      env: { ...ENV, OTS_PASSPHRASE: PASSPHRASE },
    });
    const gone = await runCli(['reveal', shared.secretUrl, '--domain', domain, '--json'], { env: ENV });
    expect(gone.code).toBe(1);
    expectClean(gone, [shared.secretUrl, shared.secretKey]);
    expect(gone.stdout).not.toContain(shared.secretKey);
  });

  it('refused credentials, on a call and on a status check', async () => {
    const token = 'tok-REVOKED-LEAKCANARY';
    const env = { OTS_USERNAME: ACCOUNT.username, OTS_TOKEN: token };
    const recent = await runCli(['recent', '--domain', domain], { env });
    expect(recent.code).toBe(1);
    expectClean(recent, [token, Buffer.from(`${ACCOUNT.username}:${token}`).toString('base64')]);
    const status = await runCli(['status', '--domain', domain, '--json'], { env });
    expectClean(status, [token]);
    expect(status.stdout).not.toContain(token);
  });

  it('server errors, timeouts and resets during share', async () => {
    for (const fault of [
      { fault: 'status' as const, status: 500 },
      { fault: 'reset' as const },
      { fault: 'hang' as const },
    ]) {
      sandbox.addFault({ path: '/api/v2/secret/conceal', times: 1, ...fault });
      const run = await runCli(
        ['share', '--domain', domain, '--timeout', '0.5', '--passphrase-file', passphraseFile],
        {
          stdin: SECRET,
          env: ENV,
        },
      );
      expect(run.code).toBe(1);
      expectClean(run);
    }
    sandbox.clearFaults();
  });

  it('a link to another host and a malformed key', async () => {
    const key = 'abcdLEAKCANARYkey0123456789';
    const other = await runCli(['reveal', `https://evil.example.com/secret/${key}`, '--domain', domain], {
      env: ENV,
    });
    expect(other.code).toBe(2);
    expectClean(other, [key]);
    const malformed = await runCli(['burn', `${key}!!`, '--domain', domain], { env: ENV });
    expect(malformed.code).toBe(2);
    expectClean(malformed, [key]);
  });

  it('secrets put where they do not belong: as arguments or flags', async () => {
    const asArgument = await runCli(['share', SECRET, '--domain', domain]);
    expect(asArgument.code).toBe(2);
    expectClean(asArgument);
    const asFlag = await runCli(['reveal', 'abcd1234abcd', `--passphrase=${PASSPHRASE}`]);
    expect(asFlag.code).toBe(2);
    expectClean(asFlag);
    const asCommand = await runCli([SECRET]);
    expect(asCommand.code).toBe(2);
    expectClean(asCommand);
  });

  it('a token pasted as a status target is masked in the --json error on stdout, and on stderr', async () => {
    // Short and plain enough that the core's "is not a region" message would quote it.
    const token = 'tokCANARY42';
    const run = await runCli(['status', token, '--json'], {
      env: { OTS_USERNAME: ACCOUNT.username, OTS_TOKEN: token },
    });
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).error.code).toBe('validation');
    expect(run.stdout).toContain('***');
    expect(run.stdout).not.toContain(token);
    expect(run.stderr).not.toContain(token);
  });

  it('the same with the Ruby client variables ONETIME_CUSTID and ONETIME_APIKEY', async () => {
    const token = 'tokCANARY43';
    const run = await runCli(['status', token, '--json'], {
      env: { ONETIME_CUSTID: ACCOUNT.username, ONETIME_APIKEY: token },
    });
    expect(run.stdout).not.toContain(token);
    expect(run.stderr).not.toContain(token);
  });

  it('a passphrase the core refuses (too short) is not echoed', async () => {
    const run = await runCli(['share', '--domain', domain], {
      stdin: SECRET,
      env: { OTS_PASSPHRASE: 'LEA' },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).not.toMatch(/\bLEA\b/);
    expectClean(run);
  });
});

describe('runStatus registers the token and its Basic value', () => {
  it('masks both once the status command has read the credentials', async () => {
    const redactor = new Redactor();
    let stdout = '';
    const stderr = { isTTY: false, write: () => true };
    const ctx: RunContext = {
      command: 'status',
      flags: { ...parseCheckSettings({ 'fail-on': 'never' }), json: true, recipients: [] },
      positionals: [domain],
      io: {
        stdin: process.stdin,
        stdout: { isTTY: false, write: (chunk: string) => (stdout += chunk) },
        stderr,
        env: ENV,
      },
      stderr,
      logger: { warn: () => undefined, info: () => undefined },
      redactor,
    };
    expect(await runStatus(ctx)).toBe(0);
    expect(JSON.parse(stdout).results[0].auth).toBe('ok');
    expect(redactor.redact(`${ACCOUNT.token} Basic ${BASIC}`)).toBe('*** ***');
    expect(redactor.redact(BASIC)).toBe('***');
  });
});

describe('Redactor (the last line of defence)', () => {
  it('masks every registered value in stderr output, longest first', () => {
    const redactor = new Redactor();
    let written = '';
    const stderr = redactingOutput({ write: (chunk: string) => (written += chunk) }, redactor);
    redactor.add('abcd1234');
    redactor.add('https://x.example/secret/abcd1234');
    redactor.add('no'); // too short to mask safely
    stderr.write('failed for https://x.example/secret/abcd1234 and abcd1234, no more\n');
    expect(written).toBe('failed for *** and ***, no more\n');
  });
});

describe('a server that echoes the request (line, Authorization header, body) in its error', () => {
  const drawn = fc.record({
    secret: encodableText(200),
    passphrase: encodableText(60, { lineBreaks: false }),
  });

  it.each(['v1', 'v2'])(
    'leaks no value in any wire form to stdout (--json) or stderr, on API %s',
    async (apiVersion) => {
      await fc.assert(
        fc.asyncProperty(drawn, async ({ secret, passphrase }) => {
          const key = 'abcdLEAKCANARYkey0123456789';
          const forbidden = wireForms([
            ACCOUNT.token,
            BASIC,
            `Basic ${BASIC}`,
            secret,
            secret.replace(/\r?\n$/, ''),
            passphrase,
            key,
          ]);
          // Each line of a value is redacted wherever it stands, so a draw with a line such as "ref"
          // would mask part of the word this test looks for: such a draw says nothing about a leak.
          fc.pre(!forbidden.some((form) => 'refused'.includes(form)));
          sandbox.addFault({ fault: 'echo' });
          const env = { ...ENV, OTS_PASSPHRASE: passphrase };
          const common = ['--domain', domain, '--api-version', apiVersion, '--json'];
          const runs = [
            await runCli(['share', ...common], { stdin: secret, env }),
            await runCli(['reveal', key, ...common], { env }),
            await runCli(['burn', key, ...common], { env }),
          ];
          sandbox.clearFaults();
          for (const run of runs) {
            expect(run.code, run.stderr).toBe(1);
            expect(run.stderr).toMatch(/refused/);
            for (const form of forbidden) {
              expect(run.stderr).not.toContain(form);
              expect(run.stdout).not.toContain(form);
            }
          }
        }),
        { numRuns: 10 },
      );
    },
    60_000,
  );
});
