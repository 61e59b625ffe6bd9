/**
 * `npm run release -- <X.Y.Z>`: prepares a release on a clean tree. Sets the version in package.json,
 * package-lock.json and src/version.ts, moves the CHANGELOG's Unreleased entries under the version,
 * commits, and makes the tag vX.Y.Z. Nothing is pushed: pushing the tag starts the release workflow.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseVersion, releaseChangelog } from './checks.js';

function git(root: string, args: string[]): string {
  return execFileSync('git', args, { cwd: root, encoding: 'utf8' });
}

/** The action's bundle carries the version (its User-Agent): rebuild it, so the release's dist check holds. */
function rebuildActionBundle(root: string): void {
  execFileSync('npm', ['run', '-s', 'bundle'], { cwd: root, stdio: 'ignore' });
}

export function bump(
  root: string,
  requested: string | undefined,
  date: string,
  rebuild: (root: string) => void = rebuildActionBundle,
): string {
  if (!requested) throw new Error('usage: npm run release -- <X.Y.Z>');
  const version = parseVersion(requested, 'the version');
  const current = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
  if (version === current) throw new Error(`package.json's version is already ${version}.`);
  if (git(root, ['status', '--porcelain']).trim() !== '') {
    throw new Error('the working tree has uncommitted changes: commit or stash them first.');
  }
  if (git(root, ['tag', '--list', `v${version}`]).trim() !== '')
    throw new Error(`the tag v${version} exists.`);

  const changelogPath = join(root, 'CHANGELOG.md');
  const changelog = releaseChangelog(readFileSync(changelogPath, 'utf8'), version, date);
  const versionPath = join(root, 'src/version.ts');
  const source = readFileSync(versionPath, 'utf8');
  if (!source.includes(`export const VERSION = '${current}';`)) {
    throw new Error(`src/version.ts does not say VERSION = '${current}', as package.json does.`);
  }

  writeFileSync(changelogPath, changelog);
  writeFileSync(versionPath, source.replace(`'${current}'`, `'${version}'`));
  execFileSync('npm', ['version', version, '--no-git-tag-version'], { cwd: root, stdio: 'ignore' });
  rebuild(root);
  const bundle = existsSync(join(root, 'action/dist')) ? ['action/dist'] : [];
  git(root, ['add', 'CHANGELOG.md', 'package.json', 'package-lock.json', 'src/version.ts', ...bundle]);
  git(root, ['commit', '-q', '-m', `Release v${version}`]);
  git(root, ['tag', '-a', `v${version}`, '-m', `v${version}`]);
  return version;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const version = bump(process.cwd(), process.argv[2], new Date().toISOString().slice(0, 10));
    console.log(`Tagged v${version}. Push it to release: git push origin HEAD v${version}`);
  } catch (error) {
    console.error(`npm run release: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
