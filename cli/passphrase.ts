/**
 * The passphrase comes from `--passphrase-file <path>` or `OTS_PASSPHRASE`, never from an argument:
 * other users of the machine can read a process's arguments, and shells keep them in their history.
 * The file wins over the variable because it was asked for on this very command line.
 */
import { readFile } from 'node:fs/promises';
import { stripOneNewline } from './io.js';
import { UsageError } from './usage-error.js';

export async function readPassphrase(
  file: string | undefined,
  env: Record<string, string | undefined>,
): Promise<string | undefined> {
  if (file !== undefined) {
    const text = stripOneNewline(await readPassphraseFile(file));
    if (text === '')
      throw new UsageError('--passphrase-file is empty: put the passphrase in it, on one line');
    return text;
  }
  const fromEnv = env.OTS_PASSPHRASE;
  return fromEnv === undefined || fromEnv === '' ? undefined : stripOneNewline(fromEnv);
}

async function readPassphraseFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new UsageError(`--passphrase-file could not be read (${code}): give the path of a readable file`);
  }
}
