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

/** A value as given, with the name it was given under (an input or a variable), for messages. */
export interface NamedValue {
  name: string;
  value: string;
}

/** Where each half may be given, first choice first: `['token']`, or `['OTS_TOKEN', 'ONETIME_APIKEY']`. */
export interface CredentialNames {
  username: readonly string[];
  token: readonly string[];
}

const INPUT_NAMES: CredentialNames = { username: ['username'], token: ['token'] };

/**
 * `undefined` for anonymous use; a ValidationError naming the missing half when only one is given.
 * Surrounding whitespace (a newline from a file or an environment variable) is dropped.
 */
export function resolveCredentials(input: CredentialInput): Credentials | undefined {
  return checkCredentials(given('username', input.username), given('token', input.token), INPUT_NAMES);
}

function given(name: string, value: string | undefined): NamedValue | undefined {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? undefined : { name, value: trimmed };
}

/**
 * The one pair rule, for inputs and environment variables alike: both halves or neither, each fit for
 * a Basic header. Errors name the input at fault (the missing half, or the malformed one), never a value.
 */
export function checkCredentials(
  username: NamedValue | undefined,
  token: NamedValue | undefined,
  names: CredentialNames,
): Credentials | undefined {
  if (username === undefined) {
    if (token === undefined) return undefined;
    throw halfGiven(token.name, names.username, 'the account email or customer id');
  }
  if (token === undefined) throw halfGiven(username.name, names.token, 'the API token of that account');
  if (username.value.includes(':') || /[\r\n\0]/.test(username.value)) {
    throw new ValidationError(
      `${username.name} must not contain ":" or line breaks: give the account email.`,
      {
        input: username.name,
      },
    );
  }
  if (/[\r\n\0]/.test(token.value)) {
    throw new ValidationError(`${token.name} must not contain line breaks: give the API token on one line.`, {
      input: token.name,
    });
  }
  return { username: username.value, token: token.value };
}

/** `OTS_TOKEN is set but OTS_USERNAME (or ONETIME_CUSTID) is not: set OTS_USERNAME to ..., or unset OTS_TOKEN ...` */
function halfGiven(setName: string, missing: readonly string[], what: string): ValidationError {
  const [input = '', ...others] = missing;
  const alternatives = others.length === 0 ? '' : ` (or ${others.join(', or ')})`;
  return new ValidationError(
    `${setName} is set but ${input}${alternatives} is not: set ${input} to ${what}, or unset ${setName} for anonymous use.`,
    { input },
  );
}

/** The pre-emptive `Authorization` value (OTS never sends a challenge, docs/ots-api.md 1.1). */
export function basicAuthorization(credentials: Credentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.token}`, 'utf8').toString('base64')}`;
}

/**
 * What a pair puts on the wire, for a redactor or a runner's mask before anything can fail: the token
 * and, with a username, the Basic value (the header and its base64 part, which a runner would not mask
 * by itself), built by basicAuthorization so it is exactly what is sent. Blank halves are skipped.
 */
export function credentialSecrets(username: string | undefined, token: string | undefined): string[] {
  const user = username?.trim() ?? '';
  const key = token?.trim() ?? '';
  if (key === '') return [];
  if (user === '') return [key];
  const header = basicAuthorization({ username: user, token: key });
  return [key, header, header.slice('Basic '.length)];
}
