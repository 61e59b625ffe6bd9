/** Running a TypeScript worker in a fresh Node process through tsx's loader. */
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);

/** `--import <tsx loader>` as a file URL, so the worker resolves it from any working directory. */
export function tsxImportArgs(): string[] {
  return ['--import', pathToFileURL(require.resolve('tsx')).href];
}

export function benchFile(relative: string): string {
  return fileURLToPath(new URL(`../${relative}`, import.meta.url));
}

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
