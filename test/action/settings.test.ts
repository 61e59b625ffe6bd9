/** parseSettings alone: defaults, conversions, and which input an error names. */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../action/input-error.js';
import { INPUT_NAMES, parseSettings, type RawInputs } from '../../action/settings.js';

function raw(inputs: Partial<RawInputs>): RawInputs {
  const all = Object.fromEntries(INPUT_NAMES.map((name) => [name, ''])) as RawInputs;
  return { ...all, ...inputs };
}

function inputOf(inputs: Partial<RawInputs>): string | undefined {
  try {
    parseSettings(raw(inputs));
  } catch (error) {
    if (error instanceof InputError) return error.input;
    throw error;
  }
  return undefined;
}

describe('parseSettings', () => {
  it('fills the documented defaults', () => {
    const settings = parseSettings(raw({ domain: 'http://127.0.0.1:7143' }));
    expect(settings).toMatchObject({
      operation: 'status',
      apiVersion: 'v2',
      timeoutMs: 10_000,
      failOn: 'down',
      degradedMs: 2000,
      depth: 'status',
    });
  });

  it('converts seconds to milliseconds, ttl to seconds, recipients to a list', () => {
    const settings = parseSettings(
      raw({
        operation: 'Share',
        region: ' EU ',
        username: 'a@example.com',
        token: 't0k3n-value',
        secret: '  keep my spaces\n',
        ttl: '12h',
        timeout: '2.5',
        recipient: 'x@example.com, y@example.com',
      }),
    );
    expect(settings).toMatchObject({
      operation: 'share',
      timeoutMs: 2500,
      ttl: 43_200,
      secret: '  keep my spaces\n',
      recipient: ['x@example.com', 'y@example.com'],
      target: { kind: 'region', name: 'eu' },
    });
  });

  it('checks a region once when the domain names the same host', () => {
    const settings = parseSettings(raw({ region: 'eu, us', domain: 'https://eu.onetimesecret.com' }));
    expect(settings).toMatchObject({ targets: [{ name: 'eu' }, { name: 'us' }] });
    expect((settings as { targets: unknown[] }).targets).toHaveLength(2);
  });

  it('a link selects its own region, whatever region is configured', () => {
    const key = 'a'.repeat(40);
    const settings = parseSettings(
      raw({ operation: 'reveal', region: 'us', key: `https://eu.onetimesecret.com/secret/${key}` }),
    );
    expect(settings).toMatchObject({ target: { name: 'eu' }, key: { key } });
  });

  it('passes a short passphrase to reveal and burn as given (length rules are for creating)', () => {
    const key = 'a'.repeat(40);
    for (const operation of ['reveal', 'burn']) {
      expect(parseSettings(raw({ operation, key, passphrase: 'abc' }))).toMatchObject({ passphrase: 'abc' });
    }
    expect(inputOf({ operation: 'share', secret: 'x', passphrase: 'abc' })).toBe('passphrase');
  });

  it.each([
    [{ operation: 'nope' }, 'operation'],
    [{ region: 'xx' }, 'region'],
    [{ region: 'eu secrets.example.com' }, 'region'],
    [{ domain: 'https://secrets.example.com/path' }, 'domain'],
    [{ domain: 'http://secrets.example.com' }, 'domain'],
    [{ username: 'a@example.com' }, 'token'],
    [{ token: 'abc' }, 'username'],
    [{ operation: 'share', secret: 'x', ttl: 'abc' }, 'ttl'],
    [{ operation: 'share' }, 'secret'],
    [{ operation: 'generate', recipient: 'x@example.com' }, 'recipient'],
    [{ operation: 'reveal' }, 'key'],
    [{ operation: 'reveal', key: `https://evil.example.net/secret/${'a'.repeat(40)}` }, 'key'],
    [{ 'fail-on': 'up' }, 'fail-on'],
    [{ timeout: '-1' }, 'timeout'],
    [{ timeout: '0x10' }, 'timeout'],
    [{ timeout: '1e1' }, 'timeout'],
    [{ 'degraded-ms': 'fast' }, 'degraded-ms'],
    [{ depth: 'deep' }, 'depth'],
    [{ 'api-version': '2' }, 'api-version'],
    [{ operation: 'generate', secret: 'x' }, 'secret'],
    [{ operation: 'reveal', key: 'a'.repeat(40), secret: 'x' }, 'secret'],
    [{ secret: 'x' }, 'secret'],
    [{ operation: 'receipt', key: 'a'.repeat(40), passphrase: 'abcd' }, 'passphrase'],
    [{ passphrase: 'abcd' }, 'passphrase'],
  ] as [Partial<RawInputs>, string][])('%o is refused, naming %s', (inputs, input) => {
    expect(inputOf(inputs)).toBe(input);
  });

  it('rounds a timeout up to whole milliseconds, as the CLI does, and names timeout (not timeoutMs)', () => {
    expect(parseSettings(raw({ timeout: '0.0004' }))).toMatchObject({ timeoutMs: 1 });
    expect(parseSettings(raw({ timeout: '1.0011' }))).toMatchObject({ timeoutMs: 1002 });
    expect(() => parseSettings(raw({ timeout: '0x10' }))).toThrow(
      /^timeout is not valid: give a number of seconds greater than 0 and at most 600/,
    );
  });

  it('says which operations use a secret or passphrase that was given to another', () => {
    expect(() => parseSettings(raw({ operation: 'generate', secret: 'hunter2' }))).toThrow(
      /^secret is only used by share, not by generate \(generate makes its own value\)/,
    );
    expect(() => parseSettings(raw({ operation: 'receipt', key: 'a'.repeat(40), passphrase: 'x' }))).toThrow(
      'passphrase is only used by share, generate, reveal and burn, not by receipt',
    );
  });
});
