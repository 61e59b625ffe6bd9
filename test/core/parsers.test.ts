import { describe, expect, it } from 'vitest';
import { parseSecondsAsMs } from '../../src/config/parsers.js';
import { ValidationError } from '../../src/errors.js';
import { rejection } from './rejection.js';

describe('parseSecondsAsMs', () => {
  it('takes plain decimals and rounds up to whole milliseconds', () => {
    expect(parseSecondsAsMs('10', 'timeout', { max: 600 })).toBe(10_000);
    expect(parseSecondsAsMs(' 2.5 ', 'timeout', { max: 600 })).toBe(2500);
    expect(parseSecondsAsMs('1.001', 'timeout', { max: 600 })).toBe(1001);
    expect(parseSecondsAsMs('0.0001', 'timeout', { max: 600 })).toBe(1);
    expect(parseSecondsAsMs('600', 'timeout', { max: 600 })).toBe(600_000);
  });

  it.each(['', '0', '0.0', '-1', '600.5', '0x10', '1e1', 'Infinity', '.5', '5.', '1_0', '0b1', 'ten'])(
    'refuses %j, naming the input and what is allowed, without echoing the value',
    (text) => {
      const error = rejection(() => parseSecondsAsMs(text, '--timeout', { max: 600 }));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.input).toBe('--timeout');
      expect(error.message).toMatch(
        /^--timeout is (empty|not valid): give a number of seconds .* at most 600/,
      );
      if (text.length > 1) expect(error.message).not.toContain(`"${text}"`);
    },
  );
});
