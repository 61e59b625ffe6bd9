/**
 * Registry Node binaries. Node 24: the action (`runs.using: node24`) and the functions (`nodejs24.x`)
 * run on it, so cold starts are measured there; BENCH_NODE24 names it. Node 22: the one Node the peer
 * client (onetimesecret-api) still runs on; BENCH_NODE22 names it. Otherwise `npx -p node@<major>` finds
 * (or fetches) the registry's build. Falls back to the running Node, and says so.
 */
import { execFileSync } from 'node:child_process';

export interface NodeBinary {
  path: string;
  version: string;
  note?: string;
}

const found = new Map<number, NodeBinary>();

export function nodeRelease(major: 22 | 24): NodeBinary {
  const known = found.get(major);
  if (known) return known;
  const given = process.env[`BENCH_NODE${major}`];
  let binary: NodeBinary;
  try {
    const path =
      given ??
      execFileSync('npx', ['-y', '-p', `node@${major}`, '--', 'node', '-p', 'process.execPath'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 180_000,
      }).trim();
    const version = execFileSync(path, ['--version'], { encoding: 'utf8' }).trim();
    binary = { path, version };
  } catch {
    binary = {
      path: process.execPath,
      version: process.version,
      note: `Node ${major} was not available: measured on the running Node instead.`,
    };
  }
  found.set(major, binary);
  return binary;
}

export function node24(): NodeBinary {
  return nodeRelease(24);
}
