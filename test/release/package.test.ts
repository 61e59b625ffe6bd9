/**
 * The npm package as a user gets it: `npm pack` (prepack builds), the tarball's file list and size,
 * then an install into an empty project and a real share and reveal against the sandbox through the
 * installed package, and `ots --version` from the installed bin. Also the clone install path for the
 * CLI (`npm install -g .` into a temporary prefix).
 *
 * Nothing reaches the registry: npm runs with `--offline`, and the one dependency, undici, is installed
 * from a tarball packed from this checkout's node_modules, beside ours. A published install would fetch
 * the same undici version from the registry instead.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npm, ROOT, run } from './npm.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  dependencies: Record<string, string>;
  exports: Record<string, string | { types: string; import: string }>;
  bin: Record<string, string>;
};

/**
 * Budgets: 0.2.0 packs to about 142 kB (454 kB unpacked; the README alone is 79 kB) after API v3, the
 * proxy support and the redactor; source maps alone would add about 40 %, and fail these.
 */
const PACKED_BUDGET = 170_000;
const UNPACKED_BUDGET = 540_000;

interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string }[];
}

/** `npm pack --json` prints the lifecycle scripts' output first (prepack builds), then the JSON. */
function packResult(stdout: string): PackResult {
  const [result] = JSON.parse(stdout.slice(stdout.search(/^\[/m))) as PackResult[];
  if (!result) throw new Error(`npm pack printed no result:\n${stdout}`);
  return result;
}

let work: string;
let packed: PackResult;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'onetime-kit-release-'));
  packed = packResult(await npm(['pack', '--json', '--pack-destination', work], ROOT));
}, 120_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('holds the library, the sandbox and the CLI, their types, the README and the LICENSE, and nothing else', () => {
    const files = packed.files.map((file) => file.path);
    for (const path of files) {
      expect(path).toMatch(/^(dist\/(src|sandbox|cli)\/.+\.(js|d\.ts)|package\.json|README\.md|LICENSE)$/);
    }
    expect(files.filter((path) => /(^|\/)(test|bench|fixtures?|events)\//.test(path))).toEqual([]);
    expect(files.filter((path) => path.endsWith('.map'))).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json']));
  });

  it('contains every file that exports and bin name', () => {
    const files = new Set(packed.files.map((file) => file.path));
    const named = Object.values(pkg.exports).flatMap((entry) =>
      typeof entry === 'string' ? [entry] : [entry.types, entry.import],
    );
    for (const path of [...named, ...Object.values(pkg.bin)]) {
      expect(files.has(path.replace(/^\.\//, '')), path).toBe(true);
    }
  });

  it('stays within its size budget', () => {
    expect(packed.size).toBeLessThan(PACKED_BUDGET);
    expect(packed.unpackedSize).toBeLessThan(UNPACKED_BUDGET);
  });
});

describe('installed into an empty project', () => {
  let project: string;

  beforeAll(async () => {
    project = join(work, 'project');
    await run('mkdir', ['-p', project], work);
    writeFileSync(
      join(project, 'package.json'),
      '{ "name": "consumer", "private": true, "type": "module" }\n',
    );
    const undici = await npm(
      ['pack', '--json', '--ignore-scripts', '--pack-destination', work],
      join(ROOT, 'node_modules/undici'),
    );
    const undiciTarball = packResult(undici);
    await npm(
      [
        'install',
        '--offline',
        '--no-audit',
        '--no-fund',
        join(work, packed.filename),
        join(work, undiciTarball.filename),
      ],
      project,
    );
  }, 120_000);

  it('depends on undici alone and adds at most 3 packages', () => {
    expect(Object.keys(pkg.dependencies)).toEqual(['undici']);
    const modules = join(project, 'node_modules');
    const installed = readdirSync(modules)
      .filter((name) => !name.startsWith('.'))
      .flatMap((name) =>
        name.startsWith('@') ? readdirSync(join(modules, name)).map((sub) => `${name}/${sub}`) : [name],
      );
    expect(installed.sort()).toEqual(['onetime-kit', 'undici']);
    expect(installed.length).toBeLessThanOrEqual(3);
  });

  it('imports onetime-kit, onetime-kit/fetch and onetime-kit/sandbox, and shares and reveals through both senders', async () => {
    writeFileSync(join(project, 'consumer.mjs'), CONSUMER);
    const out = await run(process.execPath, ['consumer.mjs'], project);
    expect(JSON.parse(out)).toEqual({
      root: { revealed: 'shared through onetime-kit', status: 'nominal' },
      fetch: { revealed: 'shared through onetime-kit/fetch', status: 'nominal' },
    });
  }, 90_000);

  it('runs ots --version from the installed bin', async () => {
    const out = await run(join(project, 'node_modules/.bin/ots'), ['--version'], project);
    expect(out.trim()).toBe(`ots ${pkg.version}`);
  }, 90_000);
});

describe('the CLI installed from a clone', () => {
  it('is on the PATH of a global prefix after npm install -g . (the build exists after the pack above)', async () => {
    const prefix = join(work, 'global');
    await npm(['install', '-g', '.', '--prefix', prefix, '--offline', '--no-audit', '--no-fund'], ROOT);
    const out = await run('ots', ['--version'], work, { PATH: `${join(prefix, 'bin')}:${process.env.PATH}` });
    expect(out.trim()).toBe(`ots ${pkg.version}`);
  }, 90_000);
});

/** What a user writes: the three entry points by their package names, nothing from this checkout. */
const CONSUMER = `
import * as root from 'onetime-kit';
import * as viaFetch from 'onetime-kit/fetch';
import { startSandbox } from 'onetime-kit/sandbox';

const sandbox = await startSandbox();
const out = {};
try {
  for (const [name, lib] of [['root', root], ['fetch', viaFetch]]) {
    const ots = lib.createClient({ domain: sandbox.url });
    const shared = await ots.share({ secret: name === 'root' ? 'shared through onetime-kit' : 'shared through onetime-kit/fetch', ttl: '1h' });
    const { value } = await ots.reveal(shared.secretUrl);
    const report = await lib.checkStatus(sandbox.url);
    out[name] = { revealed: value, status: report.state };
  }
} finally {
  await root.closeSharedAgent();
  await sandbox.stop();
}
console.log(JSON.stringify(out));
`;
