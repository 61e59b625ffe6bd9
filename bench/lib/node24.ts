/**
 * The Node 24 binary: the action (`runs.using: node24`) and the functions (`nodejs24.x`) run on it, so
 * cold starts are measured there. BENCH_NODE24 names it; otherwise `npx -p node@24` finds (or fetches)
 * the registry's build. Falls back to the running Node, and says so.
 */
import { execFileSync } from 'node:child_process';

let found: { path: string; version: string; note?: string } | undefined;

export function node24(): { path: string; version: string; note?: string } {
  if (found) return found;
  const given = process.env.BENCH_NODE24;
  try {
    const path =
      given ??
      execFileSync('npx', ['-y', '-p', 'node@24', '--', 'node', '-p', 'process.execPath'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 180_000,
      }).trim();
    const version = execFileSync(path, ['--version'], { encoding: 'utf8' }).trim();
    found = { path, version };
  } catch {
    found = {
      path: process.execPath,
      version: process.version,
      note: 'Node 24 was not available: cold starts were measured on the running Node instead.',
    };
  }
  return found;
}
