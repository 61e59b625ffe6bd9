/** The ValidationError a call throws, failing the test when it throws anything else or nothing. */
import { expect } from 'vitest';
import { ValidationError } from '../../src/errors.js';

export function rejection(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError');
}
