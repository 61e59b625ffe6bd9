import { describe, expect, it } from 'vitest';
import { linkKey, resolveKeyTarget, resolveLink } from '../../src/targets/links.js';
import { resolveStatusTargets } from '../../src/targets/status-targets.js';
import {
  defaultTarget,
  parseDomain,
  parseRegion,
  parseTargets,
  REGIONS,
  regionTarget,
  resolveTarget,
  serviceTarget,
} from '../../src/targets/targets.js';
import type { Logger } from '../../src/types.js';
import { rejection } from './rejection.js';

function recorder(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, warn: (m) => lines.push(`warn: ${m}`), info: (m) => lines.push(`info: ${m}`) };
}

describe('regions', () => {
  it('maps each region to its API base, forgiving case and spaces', () => {
    for (const region of REGIONS) {
      expect(parseRegion(` ${region.toUpperCase()} `)).toBe(region);
      expect(regionTarget(region)).toEqual({
        kind: 'region',
        name: region,
        origin: `https://${region}.onetimesecret.com`,
        apiBase: `https://${region}.onetimesecret.com/api`,
      });
    }
  });

  it('rejects anything else, naming the input and listing the five', () => {
    const error = rejection(() => parseRegion('europe'));
    expect(error.input).toBe('region');
    expect(error.message).toContain('region');
    expect(error.message).toContain('ca, eu, nz, uk, us');
  });
});

describe('resolveTarget', () => {
  it('warns and uses the default host when neither region nor domain is given', () => {
    const logger = recorder();
    expect(resolveTarget({ logger })).toEqual(defaultTarget());
    expect(defaultTarget().apiBase).toBe('https://onetimesecret.com/api');
    expect(logger.lines.join()).toMatch(/default host.*ca, eu, nz, uk, us/);
  });

  it('lets a domain win over a region, with a notice', () => {
    const logger = recorder();
    const target = resolveTarget({ region: 'eu', domain: 'secrets.example.com', logger });
    expect(target.apiBase).toBe('https://secrets.example.com/api');
    expect(logger.lines).toEqual([
      'info: Both region and domain were given: using domain secrets.example.com, region ignored.',
    ]);
  });

  it('uses a region quietly', () => {
    const logger = recorder();
    expect(resolveTarget({ region: 'NZ', logger }).origin).toBe('https://nz.onetimesecret.com');
    expect(logger.lines).toEqual([]);
  });
});

describe('custom domains', () => {
  it.each([
    ['secrets.example.com', 'https://secrets.example.com', 'secrets.example.com'],
    ['https://secrets.example.com', 'https://secrets.example.com', 'secrets.example.com'],
    ['https://secrets.example.com/', 'https://secrets.example.com', 'secrets.example.com'],
    ['https://secrets.example.com/api', 'https://secrets.example.com', 'secrets.example.com'],
    ['https://secrets.example.com:8443/api/', 'https://secrets.example.com:8443', 'secrets.example.com:8443'],
    ['http://127.0.0.1:7143', 'http://127.0.0.1:7143', '127.0.0.1:7143'],
    ['http://127.9.8.7', 'http://127.9.8.7', '127.9.8.7'],
    ['http://localhost:7143/api', 'http://localhost:7143', 'localhost:7143'],
    ['http://[::1]:7143', 'http://[::1]:7143', '[::1]:7143'],
  ])('accepts %s', (input, origin, name) => {
    const target = parseDomain(input);
    expect(target).toEqual({ kind: 'domain', name, origin, apiBase: `${origin}/api` });
  });

  it('treats a region host or the default host given as a domain as that target', () => {
    expect(parseDomain('https://eu.onetimesecret.com/api')).toEqual(regionTarget('eu'));
    expect(parseDomain('onetimesecret.com')).toEqual(defaultTarget());
  });

  it('knows the service by its hosts over https on the default port only (one rule for domains and links)', () => {
    expect(serviceTarget(new URL('https://EU.onetimesecret.com/x'))).toEqual(regionTarget('eu'));
    expect(serviceTarget(new URL('https://onetimesecret.com'))).toEqual(defaultTarget());
    expect(serviceTarget(new URL('https://eu.onetimesecret.com:8443'))).toBeUndefined();
    expect(serviceTarget(new URL('http://eu.onetimesecret.com'))).toBeUndefined();
    expect(serviceTarget(new URL('https://mars.onetimesecret.com'))).toBeUndefined();
    expect(serviceTarget(new URL('https://eu.onetimesecret.com.example.com'))).toBeUndefined();
    expect(parseDomain('https://eu.onetimesecret.com:8443').kind).toBe('domain');
  });

  it.each([
    ['', /domain is empty/],
    ['https://user:pa55word@secrets.example.com', /domain contains user info/],
    ['secrets.example.com/some/path', /domain has a path/],
    ['https://secrets.example.com/api?token=abc', /domain has a query or fragment/],
    ['https://secrets.example.com/#frag', /domain has a query or fragment/],
    ['ftp://secrets.example.com', /scheme ftp:\/\//],
    ['http://secrets.example.com', /not a loopback host/],
    ['http://10.0.0.1', /not a loopback host/],
    ['https://', /not a valid host name/],
    ['exa mple.com', /contains spaces/],
    ['bad_host.example.com', /not a valid host name/],
    ['-bad.example.com', /not a valid host name/],
    ['secrets', /not a valid host name/],
  ])('rejects %j with a message naming the input and what is allowed', (input, problem) => {
    const error = rejection(() => parseDomain(input));
    expect(error.input).toBe('domain');
    expect(error.message).toMatch(problem);
    expect(error.message).toContain('secrets.example.com or https://secrets.example.com');
    expect(error.message).not.toContain('pa55word');
    expect(error.message).not.toContain('token=abc');
  });
});

describe('parseTargets', () => {
  it('reads comma, space and newline separated regions and domains, once each', () => {
    const targets = parseTargets('eu, US\nsecrets.example.com eu  https://secrets.example.com/api');
    expect(targets.map((t) => t.name)).toEqual(['eu', 'us', 'secrets.example.com']);
  });

  it('expands all to the five regions and adds the domain option', () => {
    const targets = parseTargets(['all', 'eu'], { domain: 'http://127.0.0.1:9' });
    expect(targets.map((t) => t.name)).toEqual(['ca', 'eu', 'nz', 'uk', 'us', '127.0.0.1:9']);
  });

  it('rejects an empty list and a word that is not a region', () => {
    expect(rejection(() => parseTargets(' , ')).message).toMatch(/targets is empty/);
    const error = rejection(() => parseTargets('eu, europe'));
    expect(error.input).toBe('targets');
    expect(error.message).toContain('ca, eu, nz, uk, us');
  });

  it('names the domain input: its own name, or the list name when only a domain is given', () => {
    expect(rejection(() => parseTargets('eu', { domain: 'ftp://x.example.com' })).input).toBe('domain');
    expect(
      rejection(() => parseTargets([], { domain: 'ftp://x.example.com', inputName: 'OTS_DOMAIN' })).input,
    ).toBe('OTS_DOMAIN');
  });

  it('names the input when a domain in the list is bad', () => {
    const error = rejection(() => parseTargets('eu ftp://x.example.com', { inputName: 'OTS_TARGETS' }));
    expect(error.input).toBe('OTS_TARGETS');
  });
});

describe('resolveLink', () => {
  const key = 'abcdefghij0123456789abcdefghij';
  const configured = parseDomain('http://127.0.0.1:7143');

  it('takes a bare key for the configured target', () => {
    expect(resolveLink(` ${key} `, configured, 'secret')).toEqual({ key, target: configured });
  });

  it('takes a link on a region, the default host or the configured target', () => {
    expect(resolveLink(`https://eu.onetimesecret.com/secret/${key}`, configured, 'secret')).toEqual({
      key,
      target: regionTarget('eu'),
    });
    expect(resolveLink(`https://onetimesecret.com/receipt/${key}`, configured, 'receipt').target).toEqual(
      defaultTarget(),
    );
    expect(
      resolveLink(`https://uk.onetimesecret.com/private/${key}/`, configured, 'receipt').target.name,
    ).toBe('uk');
    expect(resolveLink(`http://127.0.0.1:7143/secret/${key}`, configured, 'secret').target).toBe(configured);
    expect(resolveLink(`us.onetimesecret.com/secret/${key}`, configured, 'secret').target.name).toBe('us');
  });

  it.each([
    [`https://evil.example.com/secret/${key}`, /link to another host \(evil\.example\.com\)/],
    [`http://eu.onetimesecret.com:8080/secret/${key}`, /another host/],
    [`https://u:p4ss@eu.onetimesecret.com/secret/${key}`, /user info/],
    [`https://eu.onetimesecret.com/receipt/${key}`, /is a receipt link, but this call needs the secret link/],
    [`https://eu.onetimesecret.com/other/${key}`, /not to \/secret\/<key>/],
    [`https://eu.onetimesecret.com/secret/${key}%E0%A4%A`, /has an invalid key in its link/],
    [`https://eu.onetimesecret.com/secret/%${key}`, /has an invalid key in its link/],
    ['not a key!', /not a valid key/],
    ['', /is empty/],
  ])('rejects %s without echoing the key', (input, problem) => {
    const error = rejection(() => resolveLink(input, configured, 'secret'));
    expect(error.input).toBe('key');
    expect(error.message).toMatch(problem);
    expect(error.message).not.toContain(key);
    expect(error.message).not.toContain('p4ss');
  });
});

describe('linkKey', () => {
  const key = 'abcdefghij0123456789abcdefghij';

  it('reads the key of a link as resolveLink does, percent-decoded', () => {
    for (const link of [
      `https://eu.onetimesecret.com/secret/${key}`,
      `https://evil.example.com/receipt/${key}/`,
      `eu.onetimesecret.com/private/${key}?utm=x#top`,
      ` http://127.0.0.1:7143/secret/${key.slice(0, 10)}%2D${key.slice(10)} `,
    ]) {
      expect(linkKey(link), link).toBe(link.includes('%2D') ? `${key.slice(0, 10)}-${key.slice(10)}` : key);
    }
    const link = `https://uk.onetimesecret.com/secret/${key}`;
    expect(linkKey(link)).toBe(resolveLink(link, defaultTarget(), 'secret').key);
  });

  it('gives nothing, and never throws, for a bare key or anything that is not a link to a key', () => {
    for (const input of [key, '', 'https://', 'https://eu.onetimesecret.com/other/abc', `%${key}/secret/`]) {
      expect(linkKey(input), input).toBeUndefined();
    }
    expect(linkKey(`https://eu.onetimesecret.com/secret/${key}%E0%A4%A`)).toBeUndefined();
  });
});

describe('resolveStatusTargets', () => {
  const names = (targets: { name: string }[]) => targets.map((t) => t.name);

  it('takes every given source, each target once, in the order given', () => {
    const targets = resolveStatusTargets([
      { text: ['eu', 'us'], input: 'targets' },
      { text: 'ca, eu', input: 'region' },
      { text: 'https://us.onetimesecret.com', input: 'domain', only: 'domain' },
      { text: 'secrets.example.com', input: 'more', only: 'domain' },
    ]);
    expect(names(targets)).toEqual(['eu', 'us', 'ca', 'secrets.example.com']);
  });

  it('skips blank sources; with none, the environment’s targets, else the default host with its warning', () => {
    const logger = recorder();
    const blank = [
      { text: ' ', input: 'region' },
      { text: [], input: 'targets' },
      { text: undefined, input: 'domain' },
    ];
    expect(resolveStatusTargets(blank, { env: { OTS_TARGETS: 'nz uk' }, logger })).toHaveLength(2);
    expect(resolveStatusTargets(blank, { env: {}, logger }).map((t) => t.kind)).toEqual(['default']);
    expect(logger.lines.join()).toMatch(/^warn: No region or domain given: using the default host/);
    // An empty argument is given, and refused by name.
    expect(rejection(() => resolveStatusTargets([{ text: [''], input: 'targets' }])).input).toBe('targets');
  });

  it('names the source at fault', () => {
    const sources = (text: string) => [
      { text: 'eu', input: 'region' },
      { text, input: '--domain', only: 'domain' as const },
    ];
    const error = rejection(() => resolveStatusTargets(sources('https://secrets.example.com/path')));
    expect(error.input).toBe('--domain');
    expect(error.message).toMatch(/^--domain has a path/);
  });

  it('reads plain http to a private host with the opt-in, or OTS_ALLOW_HTTP when the environment is read', () => {
    const source = [{ text: 'http://ots:3000', input: 'domain', only: 'domain' as const }];
    expect(rejection(() => resolveStatusTargets(source)).input).toBe('domain');
    expect(names(resolveStatusTargets(source, { allowHttp: true }))).toEqual(['ots:3000']);
    expect(names(resolveStatusTargets(source, { env: { OTS_ALLOW_HTTP: 'true' } }))).toEqual(['ots:3000']);
  });

  it('keeps a regions-only source to regions and all, pointing a domain at the domain input', () => {
    const regions = (text: string) => [{ text, input: 'region', only: 'regions' as const }];
    expect(resolveStatusTargets(regions('all'))).toHaveLength(5);
    expect(rejection(() => resolveStatusTargets(regions('eu secrets.example.com'))).message).toBe(
      'region lists secrets.example.com, which is not a region: use ca, eu, nz, uk, us or all, and put a ' +
        'custom domain in the domain input.',
    );
    const error = rejection(() => resolveStatusTargets(regions('europe')));
    expect(error.input).toBe('region');
    expect(error.message).toMatch(
      /^region "europe" is not a region: .* For status, region may also be a list of them, or all\.$/,
    );
  });
});

describe('resolveKeyTarget', () => {
  const link = { key: 'https://eu.onetimesecret.com/secret/abcd1234efgh', kind: 'secret' as const };

  it('calls a region link on its region, quietly, when no target is configured', () => {
    const logger = recorder();
    expect(resolveKeyTarget(link, { logger })).toEqual(regionTarget('eu'));
    expect(logger.lines).toEqual([]);
  });

  it('leaves a configured target alone, and anything else to resolveTarget (the default host, warned)', () => {
    expect(resolveKeyTarget(link, { region: 'us' }).name).toBe('us');
    expect(resolveKeyTarget(link, { domain: 'secrets.example.com' }).name).toBe('secrets.example.com');
    for (const other of [
      undefined,
      { key: 'abcd1234efgh', kind: 'secret' as const },
      { key: 'https://other.example.com/secret/abcd1234efgh', kind: 'secret' as const },
      { key: link.key, kind: 'receipt' as const },
    ]) {
      const logger = recorder();
      expect(resolveKeyTarget(other, { logger })).toEqual(defaultTarget());
      expect(logger.lines.join()).toMatch(/default host/);
    }
  });
});
