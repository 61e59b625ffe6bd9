/**
 * Bundles a worker with esbuild into bench/.tmp, packages left as imports from node_modules: the
 * project's TypeScript runs as plain JavaScript, as a user's build ships it, with no loader in the way.
 */
import { build } from 'esbuild';
import { benchFile } from './paths.js';

export async function bundleWorker(relative: string): Promise<string> {
  const outfile = benchFile(`.tmp/${relative.replace(/\//g, '-').replace(/\.ts$/, '.mjs')}`);
  await build({
    entryPoints: [benchFile(relative)],
    outfile,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
  return outfile;
}
