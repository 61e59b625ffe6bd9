import { describe, expect, it } from 'vitest';
import { readTargets } from '../../functions/config-targets.js';
import { settingsFromEnv } from '../../src/config/environment.js';
import { ValidationError } from '../../src/errors.js';
import { resolveLink } from '../../src/targets/links.js';
import { parseDomain, parseTargets, regionTarget } from '../../src/targets/targets.js';
import { rejection } from './rejection.js';

// Each of these is rewritten by WHATWG URL parsing into an address nobody typed.
const SHORTHANDS = [
  '1.1',
  '0',
  '1.5',
  '2130706433',
  '0x7f.1',
  '127.1',
  '010.0.0.1',
  '1.2.3',
  '%31.1',
  '１.１',
];
const ACCEPTED_FORMS = /DNS name.*four decimal parts.*bracketed IPv6/;

describe('a host is checked as written (numeric shorthands are refused)', () => {
  it.each(SHORTHANDS)('parseDomain refuses %s, naming the input and the accepted forms', (host) => {
    for (const raw of [host, `https://${host}`, `http://${host}:7143`]) {
      const error = rejection(() => parseDomain(raw, 'domain'));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.input).toBe('domain');
      expect(error.message).toMatch(ACCEPTED_FORMS);
    }
  });

  it.each(SHORTHANDS)('a link to %s is refused too', (host) => {
    const error = rejection(() =>
      resolveLink(`https://${host}/secret/abcd1234`, regionTarget('eu'), 'secret'),
    );
    expect(error.input).toBe('key');
    expect(error.message).toMatch(ACCEPTED_FORMS);
  });

  it('refuses them in target lists and in every environment variable', () => {
    expect(rejection(() => parseTargets('eu, 1.1', { inputName: 'region' })).input).toBe('region');
    expect(rejection(() => parseTargets([], { domain: '2130706433.', inputName: 'domain' })).input).toBe(
      'domain',
    );
    expect(rejection(() => settingsFromEnv({ OTS_DOMAIN: '1.1' })).input).toBe('OTS_DOMAIN');
    expect(rejection(() => settingsFromEnv({ ONETIME_HOST: 'https://1.1/api/v1' })).input).toBe(
      'ONETIME_HOST',
    );
    expect(() => readTargets({ OTS_TARGETS: 'eu 0x7f.1' })).toThrow(/OTS_TARGETS.*four decimal parts/);
    expect(() => readTargets({ ONETIME_HOST: '1.5' })).toThrow(/ONETIME_HOST.*four decimal parts/);
  });

  it('accepts a DNS name, a canonical IPv4, a bracketed IPv6 and an IDN name', () => {
    expect(parseDomain('secrets.example.com').origin).toBe('https://secrets.example.com');
    expect(parseDomain('http://127.0.0.1:7143').origin).toBe('http://127.0.0.1:7143');
    expect(parseDomain('192.0.2.10').origin).toBe('https://192.0.2.10');
    expect(parseDomain('http://[::1]:7143/api').origin).toBe('http://[::1]:7143');
    expect(parseDomain('https://[2001:db8::1]').origin).toBe('https://[2001:db8::1]');
    expect(parseDomain('bücher.example').origin).toBe('https://xn--bcher-kva.example');
    expect(parseDomain('http://localhost:7143').origin).toBe('http://localhost:7143');
  });
});
