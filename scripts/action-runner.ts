/**
 * What a GitHub runner does around a JavaScript action, for running it on this machine: one
 * `INPUT_<NAME>` variable per input of action.yml (its defaults filled in), the `GITHUB_OUTPUT`,
 * `GITHUB_STEP_SUMMARY` and `GITHUB_ENV` files, and a log where `::add-mask::` values are hidden.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** The inputs of action.yml with their defaults, as text (the runner passes every input as text). */
export function actionDefaults(root: string): Record<string, string> {
  const action = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as ActionMetadata;
  const defaults: Record<string, string> = {};
  for (const [name, input] of Object.entries(action.inputs ?? {})) {
    if (input?.default !== undefined) defaults[name] = String(input.default);
  }
  return defaults;
}

interface ActionMetadata {
  inputs?: Record<string, { default?: unknown } | null>;
}

/** The runner's variable for an input: upper-cased, spaces to `_`, hyphens kept (`INPUT_FAIL-ON`). */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** Parses the `GITHUB_OUTPUT` file: `name<<delimiter`, the value's lines, `delimiter`. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const head = /^([^<=]+)<<(.+)$/.exec(lines[i] ?? '');
    if (!head) continue;
    const [, name = '', delimiter] = head;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] ?? '');
    outputs[name] = value.join('\n');
  }
  return outputs;
}

/** Workflow command data escaping, undone (`%25`, `%0D`, `%0A`). */
export function unescapeData(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

/**
 * The log as a runner shows it: `::add-mask::` lines are taken in, not shown, and every masked value
 * (each line of it, as the runner masks line by line) is shown as `***` from then on.
 */
export class MaskedLog {
  readonly masks = new Set<string>();

  line(text: string): string | undefined {
    if (text.startsWith('::add-mask::')) {
      for (const part of unescapeData(text.slice(12)).split(/\r?\n/))
        if (part.trim() !== '') this.masks.add(part);
      return undefined;
    }
    return this.hide(text);
  }

  hide(text: string): string {
    let shown = text;
    for (const mask of [...this.masks].sort((a, b) => b.length - a.length))
      shown = shown.replaceAll(mask, '***');
    return shown;
  }
}

/** `KEY=VALUE` lines of a .env file; `#` comments and blank lines skipped, matching quotes dropped. */
export function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const at = line.indexOf('=');
    if (at <= 0) continue;
    env[line.slice(0, at).trim()] = line
      .slice(at + 1)
      .trim()
      .replace(/^(['"])(.*)\1$/, '$2');
  }
  return env;
}

/** The inputs file: `.env` when it exists (your own values), else the committed `.env.example`. */
export function chooseEnvFile(dir: string): { name: string; values: Record<string, string> } {
  const name = existsSync(join(dir, '.env')) ? '.env' : '.env.example';
  return { name, values: parseEnvFile(readFileSync(join(dir, name), 'utf8')) };
}
