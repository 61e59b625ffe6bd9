/**
 * The README's sandbox-only command examples, run as written (each block marked
 * `<!-- readme-test: sandbox -->`), so they stay true. A sandbox with the default account stands in
 * for `npm run sandbox` (those lines are skipped) on a free port, put in place of 127.0.0.1:7143;
 * `curl` fails on an HTTP error (`-f`), and each block runs under `set -euo pipefail`.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_ACCOUNT, type Sandbox, startSandbox } from '../../sandbox/index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

/** The marked blocks: their first line number and their commands. */
function markedBlocks(): { line: number; text: string }[] {
  const lines = readFileSync(`${ROOT}README.md`, 'utf8').split('\n');
  const blocks: { line: number; text: string }[] = [];
  lines.forEach((line, index) => {
    if (line.trim() !== '<!-- readme-test: sandbox -->') return;
    const start = index + 2;
    const end = lines.findIndex((l, i) => i >= start && l.startsWith('```'));
    blocks.push({ line: start + 1, text: lines.slice(start, end).join('\n') });
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

const blocks = markedBlocks();

describe('README sandbox examples', () => {
  it('finds the marked blocks', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(2);
  });

  it.each(blocks)('the block at README.md line $line runs', { timeout: 120_000 }, async ({ text }) => {
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
