/**
 * The sandbox-only command examples of the README and of docs/*.md, run as written (each block marked
 * `<!-- readme-test: sandbox -->`), so they stay true. A sandbox with the default account stands in
 * for `npm run sandbox` (those lines are skipped) on a free port, put in place of 127.0.0.1:7143;
 * `curl` fails on an HTTP error (`-f`), and each block runs under `set -euo pipefail`.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_ACCOUNT, type Sandbox, startSandbox } from '../../sandbox/index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

/** The README, then every page under docs/ (the README's reference sections live there). */
const FILES = [
  'README.md',
  ...readdirSync(`${ROOT}docs`)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`),
];

interface Block {
  file: string;
  /** The first line of its commands, 1-based. */
  line: number;
  text: string;
}

/** The marked blocks of one file. */
function markedBlocks(file: string): Block[] {
  const lines = readFileSync(`${ROOT}${file}`, 'utf8').split('\n');
  const blocks: Block[] = [];
  lines.forEach((line, index) => {
    if (line.trim() !== '<!-- readme-test: sandbox -->') return;
    const start = index + 2;
    const end = lines.findIndex((l, i) => i >= start && l.startsWith('```'));
    blocks.push({ file, line: start + 1, text: lines.slice(start, end).join('\n') });
  });
  return blocks;
}

function script(block: string, sandbox: Sandbox): string {
  const commands = block
    .split('\n')
    .filter((line) => !/^npm run (-s )?sandbox\b/.test(line))
    .join('\n')
    .replaceAll('http://127.0.0.1:7143', sandbox.url)
    .replaceAll('127.0.0.1:7143', new URL(sandbox.url).host);
  return `set -euo pipefail\ncurl() { command curl -fsS "$@"; }\n${commands}\n`;
}

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ accounts: [{ ...DEFAULT_SANDBOX_ACCOUNT }] });
});
afterAll(() => sandbox.stop());

const blocks = FILES.flatMap(markedBlocks);

describe('sandbox examples in the README and docs/', () => {
  it('finds the marked blocks in the README and in the pages its reference sections moved to', () => {
    const inFile = (file: string) => blocks.filter((block) => block.file === file).length;
    expect(inFile('README.md')).toBeGreaterThanOrEqual(2);
    expect(inFile('docs/sandbox.md')).toBeGreaterThanOrEqual(1);
    expect(inFile('docs/cli.md')).toBeGreaterThanOrEqual(1);
  });

  it.each(blocks)('the block at $file line $line runs', { timeout: 120_000 }, async ({ text }) => {
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env))
      if (!/^(OTS_|ONETIME_)/.test(key)) env[key] = value;
    const { stdout } = await run('bash', ['-c', script(text, sandbox)], { cwd: ROOT, env, timeout: 120_000 });
    if (text.includes('ots -- reveal')) {
      expect(stdout).toContain('hunter2');
      expect(stdout).toContain('"nominal"');
    }
    if (text.includes('authcheck')) expect(stdout).toContain('nominal');
  });
});
