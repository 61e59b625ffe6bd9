/**
 * The function bundles as deployed: `osls package` (what `npm run package` runs) into bench/.tmp, once
 * per bench run, then each zip unpacked to its own folder.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readZip } from '../../test/functions/zip.js';
import { benchFile, ROOT } from './paths.js';
import { cleanEnv, runOk } from './spawn.js';

export const FUNCTIONS = ['status', 'webhook', 'scheduled'] as const;
export type FunctionName = (typeof FUNCTIONS)[number];

export interface Packaged {
  /** Folder of the unpacked zip of each function. */
  folders: Record<FunctionName, string>;
  zips: Record<FunctionName, string>;
  seconds: number;
}

let packaged: Promise<Packaged> | undefined;

async function packageOnce(): Promise<Packaged> {
  const out = benchFile('.tmp/package');
  rmSync(out, { recursive: true, force: true });
  // A build folder left by a killed serverless-offline would leak old chunks into the zips.
  rmSync(join(ROOT, '.esbuild'), { recursive: true, force: true });
  const osls = createRequire(import.meta.url).resolve('osls/bin/serverless.js');
  const started = performance.now();
  await runOk(process.execPath, [osls, 'package', '--package', out], {
    cwd: ROOT,
    env: cleanEnv({ SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' }),
    timeoutMs: 300_000,
  });
  const seconds = (performance.now() - started) / 1000;
  const folders = {} as Record<FunctionName, string>;
  const zips = {} as Record<FunctionName, string>;
  for (const name of FUNCTIONS) {
    zips[name] = join(out, `${name}.zip`);
    folders[name] = join(out, name);
    for (const [file, data] of readZip(readFileSync(zips[name]))) {
      mkdirSync(dirname(join(folders[name], file)), { recursive: true });
      writeFileSync(join(folders[name], file), data);
    }
  }
  return { folders, zips, seconds };
}

export function packageFunctions(): Promise<Packaged> {
  packaged ??= packageOnce();
  return packaged;
}
