/** Checks made before any request, so bad input never reaches the server (limits from docs/ots-api.md 1.4, 2.4). */
import { ValidationError } from '../errors.js';

export const MAX_SECRET_BYTES = 10_000;
export const PASSPHRASE_MIN = 4;
export const PASSPHRASE_MAX = 128;

export function validateSecret(secret: unknown, inputName = 'secret'): string {
  if (typeof secret !== 'string' || secret === '') {
    throw new ValidationError(`${inputName} is empty: give the text to share.`, { input: inputName });
  }
  const bytes = Buffer.byteLength(secret, 'utf8');
  if (bytes > MAX_SECRET_BYTES) {
    throw new ValidationError(
      `${inputName} is ${bytes} bytes: the service accepts at most ${MAX_SECRET_BYTES} bytes (UTF-8). ` +
        'Share a shorter text, or a key to the data instead.',
      { input: inputName },
    );
  }
  return secret;
}

/** An absent or empty passphrase means none (as the API treats it); otherwise 4 to 128 characters. */
export function validatePassphrase(
  passphrase: string | undefined,
  inputName = 'passphrase',
): string | undefined {
  if (passphrase === undefined || passphrase === '') return undefined;
  const length = [...passphrase].length;
  if (length < PASSPHRASE_MIN || length > PASSPHRASE_MAX) {
    throw new ValidationError(
      `${inputName} has ${length} characters: it must have ${PASSPHRASE_MIN} to ${PASSPHRASE_MAX}, or be left out.`,
      { input: inputName },
    );
  }
  return passphrase;
}

/**
 * A passphrase given to reveal or burn: an absent or empty one means none, anything else is sent as is.
 * The length rules apply when a secret is created and are the server's configuration (docs/ots-api.md 1.4.2:
 * the minimum is `passphrase.minimum_length`, none when unset), so a passphrase that a server accepted
 * must never be refused here; a wrong one gets the server's answer.
 */
export function givenPassphrase(passphrase: unknown, inputName = 'passphrase'): string | undefined {
  if (passphrase === undefined || passphrase === '') return undefined;
  if (typeof passphrase !== 'string') {
    throw new ValidationError(`${inputName} must be text, or be left out.`, { input: inputName });
  }
  return passphrase;
}

const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;

/** Recipients as a list; they need an account (the server refuses anonymous email, docs/ots-api.md 5). */
export function validateRecipients(
  recipient: string | string[] | undefined,
  authenticated: boolean,
): string[] {
  const list = (
    Array.isArray(recipient) ? recipient : recipient === undefined ? [] : recipient.split(/[\s,;]+/)
  )
    .map((r) => r.trim())
    .filter((r) => r !== '');
  if (list.length === 0) return [];
  if (!authenticated) {
    throw new ValidationError(
      'recipient needs an account: give username and token, or leave recipient out.',
      {
        input: 'recipient',
      },
    );
  }
  if (!list.every((r) => EMAIL.test(r))) {
    throw new ValidationError('recipient must be email addresses (name@example.com), separated by commas.', {
      input: 'recipient',
    });
  }
  return list;
}
