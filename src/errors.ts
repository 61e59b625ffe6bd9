/**
 * Typed errors. Every message says what went wrong and what to do next, and never carries a token, a
 * Basic header value, a passphrase, a secret value, or a secret/receipt key or link.
 */

export type OtsErrorCode =
  | 'auth'
  | 'not_found'
  | 'rate_limit'
  | 'validation'
  | 'timeout'
  | 'network'
  | 'server'
  | 'bad_response';

export interface OtsErrorDetails {
  /** HTTP status the server answered with (for v1, the intended status when it said one). */
  httpStatus?: number;
  /** The target's display name. */
  target?: string;
  cause?: unknown;
}

export class OtsError extends Error {
  readonly code: OtsErrorCode;
  readonly httpStatus?: number;
  readonly target?: string;

  constructor(code: OtsErrorCode, message: string, details: OtsErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.code = code;
    this.httpStatus = details.httpStatus;
    this.target = details.target;
  }
}

/** Credentials refused, missing where an account is required, or only half given. */
export class AuthError extends OtsError {
  /**
   * When the server ignored the credentials and created the secret anonymously: the receipt key to burn
   * it with. Never in the message, and not enumerable, so logging or serialising the error leaves it out.
   */
  declare readonly receiptKey?: string;

  constructor(message: string, details: OtsErrorDetails & { receiptKey?: string } = {}) {
    super('auth', message, details);
    if (details.receiptKey !== undefined) {
      Object.defineProperty(this, 'receiptKey', { value: details.receiptKey, enumerable: false });
    }
  }
}

/** Unknown, already revealed, burned or expired secret or receipt (or a wrong passphrase on v1). */
export class NotFoundError extends OtsError {
  constructor(message: string, details?: OtsErrorDetails) {
    super('not_found', message, details);
  }
}

export class RateLimitError extends OtsError {
  /** Seconds to wait, when the server said. */
  readonly retryAfterSeconds?: number;

  constructor(message: string, details: OtsErrorDetails & { retryAfterSeconds?: number } = {}) {
    super('rate_limit', message, details);
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

/** Bad input, refused before any request, or refused by the server (v1 400, v2 400/422). */
export class ValidationError extends OtsError {
  /** The input at fault (`ttl`, `region`, `domain`, `secret`, ...), when one is. */
  readonly input?: string;

  constructor(message: string, details: OtsErrorDetails & { input?: string } = {}) {
    super('validation', message, details);
    this.input = details.input;
  }
}

export class TimeoutError extends OtsError {
  constructor(message: string, details?: OtsErrorDetails) {
    super('timeout', message, details);
  }
}

export class NetworkError extends OtsError {
  constructor(message: string, details?: OtsErrorDetails) {
    super('network', message, details);
  }
}

export class ServerError extends OtsError {
  constructor(message: string, details?: OtsErrorDetails) {
    super('server', message, details);
  }
}

/** The server answered something that is not the API's JSON (an HTML page, a truncated body, too big). */
export class BadResponseError extends OtsError {
  constructor(message: string, details?: OtsErrorDetails) {
    super('bad_response', message, details);
  }
}
