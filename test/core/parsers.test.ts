import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseBoolean,
  parseChoice,
  parseChoiceList,
  parseSecondsAsMs,
  parseWholeNumber,
} from '../../src/config/parsers.js';
import { parseWebUrl } from '../../src/config/web-url.js';
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

  it('gives the fallback for empty text only, and still judges any other text', () => {
    expect(parseSecondsAsMs(' ', 'timeout', { max: 600 }, 10_000)).toBe(10_000);
    expect(parseSecondsAsMs('2', 'timeout', { max: 600 }, 10_000)).toBe(2000);
    expect(rejection(() => parseSecondsAsMs('0', 'timeout', { max: 600 }, 10_000)).input).toBe('timeout');
  });
});

const DEPTHS = ['status', 'roundtrip'] as const;

/** Any case of `word`, drawn letter by letter. */
const anyCase = (word: string) =>
  fc
    .array(fc.boolean(), { minLength: word.length, maxLength: word.length })
    .map((upper) => [...word].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''));

describe('parseChoice', () => {
  it('takes each choice in any case, with spaces around', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...DEPTHS).chain((choice) => anyCase(choice).map((text) => [choice, text])),
        ([choice, text]) => {
          expect(parseChoice(` ${text} `, 'depth', DEPTHS)).toBe(choice);
        },
      ),
    );
  });

  it('gives the fallback for empty text, and refuses empty text without one', () => {
    expect(parseChoice('  ', 'depth', DEPTHS, 'status')).toBe('status');
    const error = rejection(() => parseChoice('', 'depth', DEPTHS));
    expect(error.message).toBe('depth is empty: use one of status, roundtrip.');
    expect(error.input).toBe('depth');
  });

  it('refuses anything else, naming the input and the choices, never echoing the value', () => {
    fc.assert(
      fc.property(
        fc
          .string({ minLength: 1 })
          .filter((t) => t.trim() !== '' && !DEPTHS.some((d) => d === t.trim().toLowerCase())),
        (text) => {
          const error = rejection(() => parseChoice(text, '--depth', DEPTHS, 'status'));
          expect(error).toBeInstanceOf(ValidationError);
          expect(error.input).toBe('--depth');
          expect(error.message).toBe('--depth is not allowed: use one of status, roundtrip.');
        },
      ),
    );
    expect(rejection(() => parseChoice('deep', 'depth', DEPTHS)).message).toBe(
      'depth is not allowed: use one of status, roundtrip.',
    );
    // A passphrase typed into the wrong input is a short plain word too.
    expect(rejection(() => parseChoice('hunter2', 'depth', DEPTHS)).message).not.toContain('hunter2');
  });
});

describe('parseChoiceList', () => {
  const SCHEMES = ['github', 'ots', 'standard', 'slack'] as const;

  it('keeps each choice once, in the order first given, split by commas or spaces', () => {
    expect(parseChoiceList('Slack, github slack,,OTS', 'OTS_WEBHOOK_SCHEMES', SCHEMES)).toEqual([
      'slack',
      'github',
      'ots',
    ]);
    expect(parseChoiceList(' , ', 'OTS_WEBHOOK_SCHEMES', SCHEMES)).toEqual([]);
  });

  it('is the list of distinct choices for any list of choices', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...SCHEMES)),
        fc.constantFrom(',', ' ', ', ', '\n'),
        (list, separator) => {
          expect(parseChoiceList(list.join(separator), 'x', SCHEMES)).toEqual([...new Set(list)]);
        },
      ),
    );
  });

  it('names a wrong entry by its position, never by its value', () => {
    const error = rejection(() =>
      parseChoiceList('github, https://hooks.example.com/T0/s3cret', 'OTS_WEBHOOK_SCHEMES', SCHEMES),
    );
    expect(error.input).toBe('OTS_WEBHOOK_SCHEMES');
    expect(error.message).toBe(
      'OTS_WEBHOOK_SCHEMES entry 2 is not allowed: use a list of github, ots, standard, slack.',
    );
  });
});

describe('parseWholeNumber', () => {
  const rule = { min: 1, max: 15_000, unit: 'milliseconds' };

  it('takes every whole number in the range, in plain digits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 15_000 }), (n) => {
        expect(parseWholeNumber(` ${n} `, 'OTS_DEGRADED_MS', rule)).toBe(n);
      }),
    );
  });

  it('refuses numbers outside the range and other forms, naming the input, the unit and the range', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: 15_001 }).map(String),
          fc.constantFrom('0', '-1', '1.5', '1e3', '0x10', '', 'ten', '99999999999999999999'),
        ),
        (text) => {
          const error = rejection(() => parseWholeNumber(text, 'OTS_DEGRADED_MS', rule));
          expect(error.input).toBe('OTS_DEGRADED_MS');
          expect(error.message).toMatch(
            /^OTS_DEGRADED_MS must be a whole number of milliseconds from 1 to 15000/,
          );
        },
      ),
    );
  });

  it('echoes a value of plain digits only, and appends why the maximum is what it is', () => {
    expect(rejection(() => parseWholeNumber('0', 'n', { ...rule, why: 'a reason' })).message).toBe(
      'n must be a whole number of milliseconds from 1 to 15000 (got "0"): a reason.',
    );
    expect(rejection(() => parseWholeNumber('s3cret token!', 'n', rule)).message).not.toContain('s3cret');
    expect(rejection(() => parseWholeNumber('hunter2', 'n', rule)).message).not.toContain('hunter2');
  });

  it('gives the fallback for empty text only, and still judges any other text', () => {
    expect(parseWholeNumber('  ', 'n', rule, 2000)).toBe(2000);
    expect(parseWholeNumber('7', 'n', rule, 2000)).toBe(7);
    expect(rejection(() => parseWholeNumber('0', 'n', rule, 2000)).message).toMatch(
      /^n must be a whole number/,
    );
  });
});

describe('parseBoolean', () => {
  it('is true for true and false for false, in any case; empty or unset is false', () => {
    fc.assert(
      fc.property(anyCase('true'), (text) => {
        expect(parseBoolean(text, 'allow-http')).toBe(true);
      }),
    );
    fc.assert(
      fc.property(anyCase('false'), (text) => {
        expect(parseBoolean(text, 'allow-http')).toBe(false);
      }),
    );
    expect(parseBoolean(' ', 'allow-http')).toBe(false);
    expect(parseBoolean(undefined, 'allow-http')).toBe(false);
  });

  it.each(['yes', '1', 'on', 'truee', 'hunter2'])(
    'refuses %j, naming the input, without the value',
    (text) => {
      const error = rejection(() => parseBoolean(text, 'OTS_ALLOW_HTTP'));
      expect(error.input).toBe('OTS_ALLOW_HTTP');
      expect(error.message).toBe('OTS_ALLOW_HTTP must be true or false.');
    },
  );
});

describe('parseWebUrl', () => {
  const loopback = { http: 'loopback' } as const;

  it('takes https anywhere, and http to loopback only or anywhere, by the rule', () => {
    expect(parseWebUrl(' https://hooks.example.com/T0/x ', 'OTS_NOTIFY_URL', loopback).host).toBe(
      'hooks.example.com',
    );
    expect(parseWebUrl('http://127.0.0.1:9000/hook', 'OTS_NOTIFY_URL', loopback).port).toBe('9000');
    expect(parseWebUrl('http://example.com', 'OTS_PAGE_LINK', { http: 'anywhere' }).protocol).toBe('http:');
  });

  it.each([
    ['not a url', loopback, 'is not a URL: give an https:// address.'],
    [
      'http://alerts.example.com/s3cret',
      loopback,
      'must use https:// (http:// only for localhost or 127.x.x.x).',
    ],
    [
      'ftp://files.example.com/s3cret',
      { http: 'anywhere' } as const,
      'must be an https:// or http:// address.',
    ],
    ['https://user:s3cret@hooks.example.com/', loopback, 'must not contain user info (user:password@).'],
  ])('refuses %j, naming the input, never echoing the URL', (text, rule, problem) => {
    const error = rejection(() => parseWebUrl(text, 'X_URL', rule));
    expect(error.input).toBe('X_URL');
    expect(error.message).toBe(`X_URL ${problem}`);
    expect(error.message).not.toContain('example.com');
  });
});
