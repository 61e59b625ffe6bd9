/**
 * Credentials: both a username and a token, or neither (anonymous). The token and the Basic value built
 * from it never appear in a message; they are only ever put in the Authorization header.
 */
import { ValidationError } from '../errors.js';
import type { Credentials } from '../types.js';

export interface CredentialInput {
  username?: string;
  token?: string;
}

/**
 * `undefined` for anonymous use; a ValidationError naming the missing half when only one is given.
 * Surrounding whitespace (a newline from a file or an environment variable) is dropped.
 */
export function resolveCredentials(input: CredentialInput): Credentials | undefined {
  const username = input.username?.trim() ?? '';
  const token = input.token?.trim() ?? '';
  if (username === '' && token === '') return undefined;
  if (token === '') throw missing('token', 'username', 'the API token from your account settings');
  if (username === '') throw missing('username', 'token', 'the account email or customer id');
  if (username.includes(':') || /[\r\n\0]/.test(username)) {
    throw new ValidationError('username must not contain ":" or line breaks: give the account email.', {
      input: 'username',
    });
  }
  if (/[\r\n\0]/.test(token)) {
    throw new ValidationError('token must not contain line breaks: give the API token on one line.', {
      input: 'token',
    });
  }
  return { username, token };
}

function missing(name: string, given: string, what: string): ValidationError {
  return new ValidationError(
    `${given} was given without ${name}: also give ${name} (${what}), or neither for anonymous use.`,
    { input: name },
  );
}

/** The pre-emptive `Authorization` value (OTS never sends a challenge, docs/ots-api.md 1.1). */
export function basicAuthorization(credentials: Credentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.token}`, 'utf8').toString('base64')}`;
}
