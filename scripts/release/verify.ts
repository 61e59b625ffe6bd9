/**
 * `tsx scripts/release/verify.ts <tag> [--notes <file>]`: what the release workflow checks before it
 * releases anything. Builds the action bundle, then reports every problem at once (the tag against
 * package.json and src/version.ts, the CHANGELOG section, a stale action/dist) and exits 1, or writes
 * the CHANGELOG section to the notes file and exits 0. The tests are the workflow's own job.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  changelogProblems,
  changelogSection,
  distChanges,
  distProblems,
  sourceVersion,
  tagProblems,
} from './checks.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

function main(args: string[]): number {
  const [tag, flag, notesFile] = args;
  if (!tag || (flag !== undefined && (flag !== '--notes' || !notesFile))) {
    console.error('usage: tsx scripts/release/verify.ts <vX.Y.Z> [--notes <file>]');
    return 2;
  }
  const version = tag.replace(/^v/, '');
  const changelog = read('CHANGELOG.md');
  execFileSync('npm', ['run', '-s', 'bundle'], { cwd: ROOT, stdio: 'inherit' });
  const problems = [
    ...tagProblems(tag, JSON.parse(read('package.json')).version, sourceVersion(read('src/version.ts'))),
    ...changelogProblems(changelog, version),
    ...distProblems(distChanges(ROOT)),
  ];
  const prefix = process.env.GITHUB_ACTIONS === 'true' ? '::error::' : 'error: ';
  for (const problem of problems) console.error(`${prefix}${problem}`);
  if (problems.length > 0) return 1;
  if (notesFile) writeFileSync(notesFile, `${changelogSection(changelog, version)}\n`);
  console.log(`${tag} can be released: package.json, src/version.ts, CHANGELOG.md and action/dist agree.`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
