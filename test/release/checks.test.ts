/**
 * The release checks, offline: a tag that disagrees with the version, a missing CHANGELOG section, a
 * stale action/dist (in a throwaway git repository), and `npm run release` end to end in a copy of the
 * files it changes.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bump } from '../../scripts/release/bump.js';
import {
  changelogProblems,
  changelogSection,
  distChanges,
  distProblems,
  majorTag,
  releaseChangelog,
  sourceVersion,
  tagProblems,
} from '../../scripts/release/checks.js';

const CHANGELOG = `# Changelog

## Unreleased

### Additions
- a new thing

## 0.1.0 (2026-11-30)

The first version.
`;

describe('the tag', () => {
  it('passes when it equals package.json and src/version.ts', () => {
    expect(tagProblems('v0.2.0', '0.2.0', '0.2.0')).toEqual([]);
  });

  it('fails when it disagrees with package.json, naming both and the fix', () => {
    expect(tagProblems('v0.2.1', '0.2.0', '0.2.1')).toEqual([
      "tag v0.2.1 disagrees with package.json's version 0.2.0: run npm run release -- 0.2.1.",
    ]);
  });

  it('fails when src/version.ts lags behind', () => {
    expect(tagProblems('v0.2.0', '0.2.0', '0.1.0')).toEqual([
      "tag v0.2.0 disagrees with src/version.ts's VERSION 0.1.0.",
    ]);
    expect(sourceVersion("export const VERSION = '0.2.0';\n")).toBe('0.2.0');
  });

  it.each(['0.2.0', 'v0.2', 'v0.2.0-rc.1', 'release'])('refuses "%s", which is not vX.Y.Z', (tag) => {
    expect(tagProblems(tag, '0.2.0', '0.2.0')[0]).toMatch(/is not a release tag: use vX\.Y\.Z/);
  });

  it('moves v0 for 0.x and v1 for 1.x', () => {
    expect([majorTag('0.2.0'), majorTag('1.4.2')]).toEqual(['v0', 'v1']);
  });
});

describe('the CHANGELOG section', () => {
  it('is found under "## 0.1.0 (date)" and gives the notes without the heading', () => {
    expect(changelogSection(CHANGELOG, '0.1.0')).toBe('The first version.');
    expect(changelogProblems(CHANGELOG, '0.1.0')).toEqual([]);
  });

  it('is missing for a version with no heading, or with only a heading', () => {
    expect(changelogProblems(CHANGELOG, '0.2.0')).toEqual([
      'CHANGELOG.md has no section "## 0.2.0" with any entries: add the release\'s notes under it.',
    ]);
    expect(changelogSection('## 0.2.0\n\n## 0.1.0\nx\n', '0.2.0')).toBeUndefined();
    expect(changelogSection(CHANGELOG, '0.1')).toBeUndefined();
  });

  it('is made from Unreleased, which starts again empty', () => {
    const released = releaseChangelog(CHANGELOG, '0.2.0', '2026-12-02');
    expect(released).toContain(
      '## Unreleased\n\n## 0.2.0 (2026-12-02)\n\n### Additions\n- a new thing\n\n## 0.1.0',
    );
    expect(changelogSection(released, '0.2.0')).toBe('### Additions\n- a new thing');
    expect(changelogSection(released, '0.1.0')).toBe('The first version.');
  });

  it('is not made twice, nor from an empty or absent Unreleased', () => {
    const released = releaseChangelog(CHANGELOG, '0.2.0', '2026-12-02');
    expect(() => releaseChangelog(released, '0.2.0', '2026-12-02')).toThrow(
      /already has a section for 0\.2\.0/,
    );
    expect(() => releaseChangelog(released, '0.3.0', '2026-12-02')).toThrow(
      /"## Unreleased" section is empty/,
    );
    expect(() => releaseChangelog('# Changelog\n', '0.3.0', 'x')).toThrow(/no "## Unreleased" section/);
  });
});

describe('in a throwaway repository', () => {
  let repo: string;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });

  beforeEach(async () => {
    repo = await mkdtemp(join(tmpdir(), 'onetime-kit-release-checks-'));
    mkdirSync(join(repo, 'action/dist'), { recursive: true });
    mkdirSync(join(repo, 'src'));
    writeFileSync(join(repo, 'action/dist/index.js'), 'built from the sources\n');
    writeFileSync(join(repo, 'CHANGELOG.md'), CHANGELOG);
    writeFileSync(join(repo, 'src/version.ts'), "export const VERSION = '0.1.0';\n");
    writeFileSync(join(repo, 'package.json'), '{ "name": "kit", "version": "0.1.0" }\n');
    writeFileSync(
      join(repo, 'package-lock.json'),
      '{ "name": "kit", "version": "0.1.0", "lockfileVersion": 3, "packages": { "": { "name": "kit", "version": "0.1.0" } } }\n',
    );
    git('init', '-q');
    git(
      '-c',
      'user.name=t',
      '-c',
      'user.email=t@example.com',
      'commit',
      '-q',
      '--allow-empty',
      '-m',
      'empty',
    );
    git('add', '-A');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'start');
  });

  afterEach(async () => {
    await rm(repo, { recursive: true, force: true });
  });

  it('finds no stale dist when the build equals the commit, and names the file when it does not', () => {
    expect(distProblems(distChanges(repo))).toEqual([]);
    writeFileSync(join(repo, 'action/dist/index.js'), 'what the sources build now\n');
    writeFileSync(join(repo, 'action/dist/new-chunk.js'), 'a new chunk\n');
    expect(distProblems(distChanges(repo))).toEqual([
      'action/dist differs from what the sources build (action/dist/index.js, action/dist/new-chunk.js): run npm run bundle and commit action/dist.',
    ]);
  });

  it('npm run release bumps every version, rebuilds the action bundle, moves the CHANGELOG section, commits and tags', () => {
    // The real rebuild is `npm run bundle`; here it stands in with the version the bundle would carry.
    const rebuilt: string[] = [];
    const rebuild = (root: string) => {
      rebuilt.push(root);
      mkdirSync(join(root, 'action/dist'), { recursive: true });
      writeFileSync(
        join(root, 'action/dist/index.js'),
        `// ${sourceVersion(readFileSync(join(root, 'src/version.ts'), 'utf8'))}\n`,
      );
    };
    expect(bump(repo, '0.2.0', '2026-12-02', rebuild)).toBe('0.2.0');
    expect(rebuilt).toEqual([repo]);
    const read = (file: string) => readFileSync(join(repo, file), 'utf8');
    expect(JSON.parse(read('package.json')).version).toBe('0.2.0');
    expect(JSON.parse(read('package-lock.json')).version).toBe('0.2.0');
    expect(sourceVersion(read('src/version.ts'))).toBe('0.2.0');
    expect(changelogSection(read('CHANGELOG.md'), '0.2.0')).toBe('### Additions\n- a new thing');
    expect(git('status', '--porcelain')).toBe('');
    expect(git('show', 'HEAD:action/dist/index.js')).toBe('// 0.2.0\n');
    expect(git('describe', '--tags', '--exact-match').trim()).toBe('v0.2.0');
    expect(
      tagProblems('v0.2.0', JSON.parse(read('package.json')).version, sourceVersion(read('src/version.ts'))),
    ).toEqual([]);
  });

  it('npm run release refuses a dirty tree, a bad version and the current one, changing nothing', () => {
    expect(() => bump(repo, '0.2', 'x')).toThrow(
      'the version "0.2" is not a version: use X.Y.Z, such as 0.2.0.',
    );
    expect(() => bump(repo, '0.1.0', 'x')).toThrow("package.json's version is already 0.1.0.");
    writeFileSync(join(repo, 'notes.txt'), 'uncommitted\n');
    expect(() => bump(repo, '0.2.0', 'x')).toThrow(/uncommitted changes/);
    expect(readFileSync(join(repo, 'CHANGELOG.md'), 'utf8')).toBe(CHANGELOG);
    expect(git('tag', '--list')).toBe('');
  });
});
