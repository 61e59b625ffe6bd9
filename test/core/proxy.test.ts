/** The proxy variables as src/http/proxy.ts reads them (the proxying itself is tested in test/proxy/). */
import { describe, expect, it } from 'vitest';
import { proxyFor, proxyOrigin, proxySettings } from '../../src/http/proxy.js';

describe('proxySettings', () => {
  it('reads the lower-case variable first, as curl and undici do', () => {
    const settings = proxySettings({ https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2' });
    expect(settings.httpsProxy).toBe('http://lower:1/');
  });

  it('uses HTTP_PROXY for https targets when HTTPS_PROXY is unset, as undici does', () => {
    expect(proxySettings({ HTTP_PROXY: 'http://proxy:3128' })).toEqual({
      httpProxy: 'http://proxy:3128/',
      httpsProxy: 'http://proxy:3128/',
      noProxy: '',
    });
  });

  it('takes a bare host:port as http://', () => {
    expect(proxySettings({ HTTPS_PROXY: 'proxy.corp:3128' }).httpsProxy).toBe('http://proxy.corp:3128/');
  });

  it('has no proxy when none is set, or the set one is empty', () => {
    expect(proxySettings({})).toEqual({ httpProxy: undefined, httpsProxy: undefined, noProxy: '' });
    expect(proxySettings({ https_proxy: '', HTTPS_PROXY: 'http://upper:2' }).httpsProxy).toBeUndefined();
  });

  it('refuses another scheme or a malformed URL, naming the variable and not echoing it', () => {
    expect(() => proxySettings({ HTTPS_PROXY: 'ftp://u:secretpw@proxy:21' })).toThrow(
      /^HTTPS_PROXY uses the scheme ftp:\/\/ \(use http:\/\/, https:\/\/ or socks5:\/\/\)/,
    );
    expect(() => proxySettings({ http_proxy: 'http://u:secretpw@[x' })).toThrow(
      /^http_proxy is not a valid URL/,
    );
    try {
      proxySettings({ HTTPS_PROXY: 'http://u:secretpw@[x' });
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('secretpw');
    }
  });
});

describe('proxyFor (NO_PROXY, as undici matches it)', () => {
  const settings = (noProxy: string) => proxySettings({ HTTPS_PROXY: 'http://p:1', NO_PROXY: noProxy });
  const via = (url: string, noProxy: string) => proxyFor(new URL(url), settings(noProxy));

  it.each([
    ['https://ots.example.com/api', 'example.com', undefined],
    ['https://ots.example.com/api', '.example.com', undefined],
    ['https://ots.example.com/api', '*.example.com', undefined],
    ['https://example.com/api', 'example.com', undefined],
    ['https://notexample.com/api', 'example.com', 'http://p:1/'],
    ['https://ots.example.com:8443/api', 'ots.example.com:8443', undefined],
    ['https://ots.example.com/api', 'ots.example.com:8443', 'http://p:1/'],
    ['https://ots.example.com/api', 'ots.example.com:443', undefined],
    ['https://eu.onetimesecret.com/api', '*', undefined],
    ['https://eu.onetimesecret.com/api', 'a.test, b.test', 'http://p:1/'],
    ['https://[::1]:7143/api', '[::1]', undefined],
  ])('%s with NO_PROXY=%s -> %s', (url, noProxy, expected) => {
    expect(via(url, noProxy)).toBe(expected);
  });

  it('sends http:// targets directly when only HTTPS_PROXY is set', () => {
    expect(proxyFor(new URL('http://127.0.0.1:7143/api'), settings(''))).toBeUndefined();
  });
});

it('proxyOrigin drops the user and password', () => {
  expect(proxyOrigin('http://alice:pw@proxy.corp:3128/')).toBe('http://proxy.corp:3128');
});
