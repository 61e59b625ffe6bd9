/** The machine a run happened on: absolute times mean little without it. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, release, totalmem } from 'node:os';
import { node24 } from './node24.js';

function packageVersion(name: string): string {
  const url = new URL(`../../node_modules/${name}/package.json`, import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}

function curlVersion(): string {
  try {
    return execFileSync('curl', ['--version'], { encoding: 'utf8' }).split(' ')[1] ?? 'unknown';
  } catch {
    return 'not installed';
  }
}

export function machineDetails(): [string, string][] {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown';
  const n24 = node24();
  return [
    ['date', new Date().toISOString().replace(/\.\d+Z$/, 'Z')],
    ['CPU', `${cpu}, ${availableParallelism()} cores available`],
    ['memory', `${(totalmem() / 2 ** 30).toFixed(1)} GiB`],
    ['OS', `${process.platform} ${release()} ${process.arch}`],
    ['Node (bench, in-process figures)', process.version],
    ['Node (cold starts, load)', `${n24.version}${n24.note ? ` (${n24.note})` : ''}`],
    [
      'packages',
      ['undici', 'esbuild', '@vercel/ncc', 'autocannon', 'serverless-offline', 'osls']
        .map((name) => `${name} ${packageVersion(name)}`)
        .join(', '),
    ],
    ['curl', curlVersion()],
  ];
}
