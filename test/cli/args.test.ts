import { describe, expect, it } from 'vitest';
import { parseInvocation } from '../../cli/args.js';
import { UsageError } from '../../cli/usage-error.js';

function usageMessage(argv: string[]): string {
  try {
    parseInvocation(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('parseInvocation', () => {
  it('reads a command, its arguments and flags, in any order', () => {
    const invocation = parseInvocation([
      '--json',
      'status',
      'eu',
      '--timeout',
      '2.5',
      'us',
      '--fail-on=degraded',
    ]);
    expect(invocation).toMatchObject({
      kind: 'run',
      command: { name: 'status' },
      positionals: ['eu', 'us'],
      flags: { json: true, timeoutMs: 2500, failOn: 'degraded' },
    });
  });

  it('normalises choice values and collects repeated --recipient', () => {
    const invocation = parseInvocation([
      'share',
      '--api-version',
      ' V1 ',
      '--recipient',
      'a@b.c',
      '--recipient=d@e.f',
    ]);
    expect(invocation).toMatchObject({ flags: { apiVersion: 'v1', recipients: ['a@b.c', 'd@e.f'] } });
  });

  it('gives help and version before anything else', () => {
    expect(parseInvocation(['--help'])).toEqual({ kind: 'help', command: undefined });
    expect(parseInvocation(['share', '-h'])).toMatchObject({ kind: 'help', command: { name: 'share' } });
    expect(parseInvocation(['-V'])).toEqual({ kind: 'version' });
    expect(parseInvocation(['status', '--version'])).toEqual({ kind: 'version' });
  });

  it('refuses a missing or unknown command and lists the commands', () => {
    expect(usageMessage([])).toMatch(/no command given; the commands are: status, share, generate/);
    expect(usageMessage(['hunter2'])).toMatch(/^unknown command; the commands are: status/);
    expect(usageMessage(['hunter2'])).not.toContain('hunter2');
  });

  it('refuses unknown flags by name', () => {
    expect(usageMessage(['status', '--colour'])).toBe('unknown option --colour');
    expect(usageMessage(['status', '-x'])).toBe('unknown option -x');
  });

  it('refuses secrets given as flags without echoing them', () => {
    const passphrase = usageMessage(['reveal', 'abcd', '--passphrase=correct-horse']);
    expect(passphrase).toMatch(/--passphrase is not accepted.*--passphrase-file.*OTS_PASSPHRASE/);
    expect(passphrase).not.toContain('correct-horse');
    expect(usageMessage(['share', '--secret', 'hunter2'])).toMatch(/read from stdin/);
    expect(usageMessage(['share', '--secret', 'hunter2'])).not.toContain('hunter2');
    expect(usageMessage(['status', '--token', 'tok3n'])).toMatch(/OTS_USERNAME and OTS_TOKEN/);
  });

  it('refuses a secret given as an argument to share, without echoing it', () => {
    const message = usageMessage(['share', 'hunter2']);
    expect(message).toMatch(/^share reads the secret from stdin, never from an argument.*nothing was sent/);
    expect(message).not.toContain('hunter2');
  });

  it('checks the number of arguments', () => {
    expect(usageMessage(['reveal'])).toBe('reveal needs a key or link (or - to read it from stdin)');
    expect(usageMessage(['burn', 'a', 'b'])).toBe('burn takes one key or link, got 2 arguments');
    expect(usageMessage(['generate', 'x'])).toBe('generate takes no arguments');
  });

  it('refuses a flag that does not apply to the command', () => {
    expect(usageMessage(['status', '--ttl', '1h'])).toBe('--ttl does not apply to status');
    expect(usageMessage(['share', '--depth', 'roundtrip'])).toBe('--depth does not apply to share');
    expect(usageMessage(['receipt', 'k', '--passphrase-file', 'f'])).toBe(
      '--passphrase-file does not apply to receipt',
    );
  });

  it('refuses missing, repeated and bad values, naming the flag and what is allowed', () => {
    expect(usageMessage(['share', '--ttl'])).toBe('--ttl needs a value');
    expect(usageMessage(['share', '--ttl', '--json'])).toBe('--ttl needs a value');
    expect(usageMessage(['share', '--ttl='])).toBe('--ttl needs a value');
    expect(usageMessage(['status', '--region', 'eu', '--region', 'us'])).toBe(
      '--region is given more than once',
    );
    expect(usageMessage(['status', '--json=yes'])).toBe('--json takes no value');
    expect(usageMessage(['status', '--timeout', '-5'])).toMatch(
      /^--timeout is not valid: give a number of seconds greater than 0 and at most 600/,
    );
    // The action's timeout refuses these; Number() would take them. One parser for both now.
    for (const numberForm of ['soon', '0x10', '1e1', 'Infinity', '.5', '0b11', '1_0']) {
      expect(usageMessage(['status', '--timeout', numberForm])).toMatch(/^--timeout is not valid/);
    }
    expect(usageMessage(['status', '--api-version', 'v4'])).toBe(
      '--api-version is not allowed: use one of v2, v1, v3.',
    );
    expect(usageMessage(['status', '--depth', 'deep'])).toBe(
      '--depth is not allowed: use one of status, roundtrip.',
    );
    expect(usageMessage(['status', '--fail-on', 'always'])).toBe(
      '--fail-on is not allowed: use one of down, degraded, never.',
    );
    // A value is not echoed, short and plain or not: it may be a passphrase typed in the wrong place.
    for (const [flag, secret] of [
      ['--fail-on', 'hunter2'],
      ['--depth', 'hunter2 hunter2'],
      ['--api-version', 'open-sesame'],
      ['--degraded-ms', 'hunter2'],
    ]) {
      expect(usageMessage(['status', flag!, secret!])).not.toContain('hunter2');
      expect(usageMessage(['status', flag!, secret!])).not.toContain('sesame');
    }
    expect(usageMessage(['status', '--degraded-ms', '1.5'])).toMatch(
      /^--degraded-ms must be a whole number of milliseconds from 1 to 3600000\.$/,
    );
  });

  it('takes - as a key argument (read from stdin)', () => {
    expect(parseInvocation(['reveal', '-'])).toMatchObject({ positionals: ['-'] });
  });
});
