/**
 * `npm run local-action`: the committed bundle run as a runner runs it, against a sandbox on loopback.
 * Share, then reveal with `key=@secret-url` from the kept outputs, shows that the masked outputs chain;
 * the secret and the link never reach the printed log. Also which inputs file is read.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../sandbox/index.js';
import { chooseEnvFile, MaskedLog } from '../../scripts/action-runner.js';
import { ROOT, run } from './npm.js';

let sandbox: Sandbox;
let dir: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  dir = await mkdtemp(join(tmpdir(), 'onetime-kit-local-action-'));
});

afterAll(async () => {
  await sandbox?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Runs the npm script's program; resolves with stdout and the exit code (failures included). */
async function localAction(args: string[]): Promise<{ code: number; stdout: string }> {
  const env = { LOCAL_ACTION_OUTPUTS: join(dir, 'outputs.json'), INPUT_USERNAME: '', INPUT_TOKEN: '' };
  try {
    return {
      code: 0,
      stdout: await run(process.execPath, ['--import', 'tsx', 'scripts/run-action.ts', ...args], ROOT, env),
    };
  } catch (error) {
    return { code: 1, stdout: (error as Error).message };
  }
}

describe('npm run local-action', () => {
  it('shares with the bundle, keeps the masked outputs, and reveals with key=@secret-url', async () => {
    const secret = 'chained through the kept outputs';
    const shared = await localAction([
      'operation=share',
      `domain=${sandbox.url}`,
      `secret=${secret}`,
      'ttl=5m',
    ]);
    expect(shared.code).toBe(0);
    expect(shared.stdout).toContain('Running action/dist/index.js as a runner does');
    expect(shared.stdout).toMatch(/^secret-url=\*\*\*$/m);
    expect(shared.stdout).toMatch(/^ttl=300$/m);
    expect(shared.stdout).toContain('--- step summary');
    expect(shared.stdout).not.toContain(secret);
    expect(shared.stdout).not.toContain(`${sandbox.url}/secret/`);

    const revealed = await localAction(['operation=reveal', `domain=${sandbox.url}`, 'key=@secret-url']);
    expect(revealed.code).toBe(0);
    expect(revealed.stdout).toMatch(/^value=\*\*\*$/m);
    expect(revealed.stdout).not.toContain(secret);
    expect(sandbox.requestLog.map((entry) => entry.status)).toEqual([200, 200]);
    expect(JSON.parse(await readFile(join(dir, 'outputs.json'), 'utf8')).value).toBe(secret);
  }, 90_000);

  it('fails with one clear line for an argument that is not input=value, or an output the last run lacks', async () => {
    const bad = await localAction(['--nope']);
    expect(bad.stdout).toContain(
      'npm run local-action: argument "--nope" is not input=value (such as operation=reveal).',
    );
    const missing = await localAction(['key=@receipt']);
    expect(missing.stdout).toContain('key=@receipt: the previous run has no output "receipt".');
  }, 90_000);
});

describe('the runner around it', () => {
  it('reads .env when it exists, else .env.example', async () => {
    await writeFile(join(dir, '.env.example'), '# committed\nINPUT_OPERATION=status\n');
    expect(chooseEnvFile(dir)).toEqual({ name: '.env.example', values: { INPUT_OPERATION: 'status' } });
    await writeFile(join(dir, '.env'), "INPUT_OPERATION='share'\nINPUT_SECRET=a=b\n");
    expect(chooseEnvFile(dir)).toEqual({
      name: '.env',
      values: { INPUT_OPERATION: 'share', INPUT_SECRET: 'a=b' },
    });
  });

  it('hides ::add-mask:: lines and every line of a masked value, as the runner does', () => {
    const log = new MaskedLog();
    expect(log.line('::add-mask::first%0Asecond')).toBeUndefined();
    expect(log.line('got first and second')).toBe('got *** and ***');
  });
});
