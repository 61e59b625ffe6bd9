/**
 * action.yml against the Marketplace's rules (a distinct name, a description of at most 125 characters,
 * branding from the allowed colours), and every place that names the repository spelling it the same.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './npm.js';

const REPOSITORY = 'onetime-kit/onetime-kit';
const action = readFileSync(join(ROOT, 'action.yml'), 'utf8');

/** A top-level or branding scalar of action.yml (this file keeps them on one line). */
function field(pattern: RegExp): string {
  const value = pattern.exec(action)?.[1]?.trim();
  if (value === undefined) throw new Error(`action.yml has no ${pattern}`);
  return value.replace(/^(['"])(.*)\1$/, '$2');
}

/** The Marketplace's branding colours (docs: metadata syntax for GitHub Actions, branding). */
const COLORS = ['white', 'black', 'yellow', 'blue', 'green', 'orange', 'red', 'purple', 'gray-dark'];

describe('action.yml for the Marketplace', () => {
  it('has a name that is not the service’s own', () => {
    const name = field(/^name:(.*)$/m);
    expect(name.length).toBeGreaterThan(0);
    expect(name).not.toMatch(/^\s*one-?time ?secret\s*$/i);
    expect(name.toLowerCase()).toContain('onetime-kit');
  });

  it('has a one-line description of at most 125 characters', () => {
    const description = field(/^description:(.*)$/m);
    expect(description).not.toMatch(/^[>|]/);
    expect(description.length).toBeGreaterThan(20);
    expect(description.length).toBeLessThanOrEqual(125);
  });

  it('has branding with an icon and an allowed colour', () => {
    expect(field(/^branding:\n {2}icon:(.*)$/m)).toMatch(/^[a-z][a-z0-9-]*$/);
    expect(COLORS).toContain(field(/^branding:\n(?: {2}.*\n)*? {2}color:(.*)$/m));
  });
});

function markdownUnder(folder: string): string[] {
  if (!existsSync(join(ROOT, folder))) return [];
  return readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.md'))
    .map((name) => `${folder}/${name}`);
}

describe('the repository name', () => {
  const files = [
    'README.md',
    'CHANGELOG.md',
    'action.yml',
    'package.json',
    ...readdirSync(join(ROOT, '.github/workflows')).map((name) => `.github/workflows/${name}`),
    ...markdownUnder('docs'),
  ];

  it.each(files)(
    `%s has no <owner> placeholder and uses this action only as ${REPOSITORY}@v1 or ./`,
    (file) => {
      const text = readFileSync(join(ROOT, file), 'utf8');
      expect(text).not.toContain('<owner>');
      const uses = [...text.matchAll(/uses:\s*([^\s#]+)/g)].map((match) => match[1] ?? '');
      for (const target of uses.filter((name) => /onetime-kit|^\.\/?$/.test(name))) {
        expect(target).toMatch(new RegExp(`^(${REPOSITORY}@v1|\\./?)$`));
      }
    },
  );

  it('is the one package.json names', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.repository.url).toBe(`git+https://github.com/${REPOSITORY}.git`);
    expect(pkg.bugs.url).toBe(`https://github.com/${REPOSITORY}/issues`);
    expect(pkg.homepage).toBe(`https://github.com/${REPOSITORY}#readme`);
  });
});
