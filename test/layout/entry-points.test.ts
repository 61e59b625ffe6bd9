/**
 * The adapters reach the core only through its entry points (docs/architecture.md): the action and the
 * CLI through src/index.ts, the functions through src/fetch.ts (the runtime's fetch, so no function bundle
 * carries undici). Anything else they need is exported from src/public.ts, which both entries share.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CORE = path.join(ROOT, 'src');
const ENTRY: Record<string, string> = { action: 'index.ts', cli: 'index.ts', functions: 'fetch.ts' };

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.(ts|cjs|mjs)$/.test(file) && !file.startsWith('dist'))
    .map((file) => path.join(ROOT, dir, file));
}

/** Every relative module specifier in a file: static imports, re-exports and dynamic imports. */
function specifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import\(|require\()\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map(
    (m) => m[1] ?? '',
  );
}

describe('adapters import the core only through their entry point', () => {
  for (const [adapter, entry] of Object.entries(ENTRY)) {
    it(`${adapter}/ imports only src/${entry}`, () => {
      const reached: string[] = [];
      for (const file of sourceFiles(adapter)) {
        for (const spec of specifiers(file)) {
          const target = path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts');
          if (target.startsWith(`${CORE}${path.sep}`)) reached.push(path.relative(ROOT, target));
        }
      }
      expect(reached.length).toBeGreaterThan(0);
      expect([...new Set(reached)]).toEqual([`src/${entry}`]);
    });
  }
});
