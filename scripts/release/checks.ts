/**
 * The checks a release must pass, as pure functions over the texts they read, so that they can be tested
 * without a tag, a network or a build: the tag equals package.json's version (and src/version.ts's), the
 * CHANGELOG has a section for it, and the committed action/dist equals what the sources build.
 */
import { execFileSync } from 'node:child_process';

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

/** A release version: X.Y.Z, no pre-release or build part (the major tag vX moves with each). */
export function parseVersion(text: string, input: string): string {
  if (!SEMVER.test(text)) throw new Error(`${input} "${text}" is not a version: use X.Y.Z, such as 0.2.0.`);
  return text;
}

/** The major tag a release moves: v0 for 0.x, v1 for 1.x. */
export function majorTag(version: string): string {
  return `v${version.split('.')[0]}`;
}

/** The problems with releasing `tag` from a tree whose package.json and src/version.ts say what they say. */
export function tagProblems(
  tag: string,
  packageVersion: string,
  sourceVersion: string | undefined,
): string[] {
  const match = /^v(.+)$/.exec(tag);
  if (!match?.[1] || !SEMVER.test(match[1]))
    return [`tag "${tag}" is not a release tag: use vX.Y.Z, such as v0.2.0.`];
  const version = match[1];
  const problems: string[] = [];
  if (packageVersion !== version) {
    problems.push(
      `tag ${tag} disagrees with package.json's version ${packageVersion}: run npm run release -- ${version}.`,
    );
  }
  if (sourceVersion !== version) {
    problems.push(`tag ${tag} disagrees with src/version.ts's VERSION ${sourceVersion ?? '(not found)'}.`);
  }
  return problems;
}

/** The VERSION constant of src/version.ts. */
export function sourceVersion(text: string): string | undefined {
  return /^export const VERSION = '([^']*)';$/m.exec(text)?.[1];
}

const HEADING = /^## (.*)$/gm;

/** The heading text of the CHANGELOG section for `version`: "0.2.0", "0.2.0 (2026-12-02)", "[0.2.0] - ...". */
function isVersionHeading(heading: string, version: string): boolean {
  const escaped = version.replaceAll('.', '\\.');
  return new RegExp(`^\\[?${escaped}\\]?(?:\\s.*)?$`).test(heading.trim());
}

/** Where each `## ` heading starts, with its text. */
function headings(changelog: string): { text: string; start: number; bodyStart: number }[] {
  return [...changelog.matchAll(HEADING)].map((match) => ({
    text: match[1] ?? '',
    start: match.index,
    bodyStart: match.index + match[0].length,
  }));
}

/** The body of the section for `version` (the release notes), or undefined when there is none. */
export function changelogSection(changelog: string, version: string): string | undefined {
  const all = headings(changelog);
  const index = all.findIndex((heading) => isVersionHeading(heading.text, version));
  const found = all[index];
  if (!found) return undefined;
  const body = changelog.slice(found.bodyStart, all[index + 1]?.start ?? changelog.length).trim();
  return body === '' ? undefined : body;
}

export function changelogProblems(changelog: string, version: string): string[] {
  if (changelogSection(changelog, version) !== undefined) return [];
  return [`CHANGELOG.md has no section "## ${version}" with any entries: add the release's notes under it.`];
}

/**
 * Moves the entries under `## Unreleased` into a new `## <version> (<date>)` section below a fresh, empty
 * `## Unreleased`, so that the next changes have their place.
 */
export function releaseChangelog(changelog: string, version: string, date: string): string {
  if (changelogSection(changelog, version) !== undefined) {
    throw new Error(`CHANGELOG.md already has a section for ${version}.`);
  }
  const unreleased = headings(changelog).find((heading) => heading.text.trim() === 'Unreleased');
  if (!unreleased) throw new Error('CHANGELOG.md has no "## Unreleased" section to release.');
  const rest = changelog.slice(unreleased.bodyStart);
  const next = rest.search(/^## /m);
  if (rest.slice(0, next === -1 ? rest.length : next).trim() === '') {
    throw new Error('CHANGELOG.md\'s "## Unreleased" section is empty: there is nothing to release.');
  }
  return `${changelog.slice(0, unreleased.start)}## Unreleased\n\n## ${version} (${date})${rest}`;
}

/** The files under action/dist that differ from the commit (after `npm run bundle`): empty when none. */
export function distChanges(root: string): string[] {
  const status = execFileSync('git', ['status', '--porcelain', '--', 'action/dist'], {
    cwd: root,
    encoding: 'utf8',
  });
  return status.split('\n').filter((line) => line.trim() !== '');
}

export function distProblems(changes: string[]): string[] {
  if (changes.length === 0) return [];
  return [
    `action/dist differs from what the sources build (${changes.map((line) => line.slice(3)).join(', ')}): run npm run bundle and commit action/dist.`,
  ];
}
