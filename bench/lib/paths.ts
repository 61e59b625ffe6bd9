/** Paths the benchmarks share: the repository root and files under bench/. */
import { fileURLToPath } from 'node:url';

export function benchFile(relative: string): string {
  return fileURLToPath(new URL(`../${relative}`, import.meta.url));
}

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
