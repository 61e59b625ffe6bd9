/**
 * A bad action input. The message names the input, says what was wrong and what is allowed, and never
 * echoes a secret input's value.
 */
export class InputError extends Error {
  readonly input: string;

  constructor(input: string, message: string) {
    super(message);
    this.name = 'InputError';
    this.input = input;
  }
}
