import { describe, expect, it } from 'vitest';
import { CachedSource } from '../../../functions/page/cached-source.js';
import { parseSeedFlag, seedHistory } from '../../../scripts/seed-history.js';
import { fiveTargets, MemorySource, NOW } from './fixtures.js';

describe('--seed-history', () => {
  it('takes 1 to 90 days, as 90d, 90 or =90d, and names the flag when wrong', () => {
    expect(parseSeedFlag([])).toBeUndefined();
    expect(parseSeedFlag(['--seed-history', '90d'])).toBe(90);
    expect(parseSeedFlag(['--seed-history=7d'])).toBe(7);
    expect(parseSeedFlag(['--seed-history', '30'])).toBe(30);
    for (const bad of [
      ['--seed-history'],
      ['--seed-history', '0d'],
      ['--seed-history', '91d'],
      ['--seed-history', '1w'],
    ]) {
      expect(() => parseSeedFlag(bad), bad.join(' ')).toThrow(
        /^--seed-history takes a number of days from 1 to 90/,
      );
    }
  });

  it('refuses any store that is not on a loopback address, before any request', async () => {
    await expect(
      seedHistory({
        endpoint: 'https://dynamodb.eu-west-1.amazonaws.com',
        table: 'onetime-kit-prod-history',
        targets: [{ name: 'eu', statusUrl: 'https://eu.onetimesecret.com/api/v2/status' }],
        days: 90,
        historyDays: 90,
      }),
    ).rejects.toThrow('--seed-history writes only to the local store');
  });
});

describe('the container cache of history reads', () => {
  it('shares a read in flight and reuses it within the TTL, and forgets failures', async () => {
    const memory = new MemorySource(fiveTargets());
    const cached = new CachedSource(memory, 30_000);
    const request = { targets: ['eu'], days: 90, incidentLimit: 100, recent: true, now: NOW };
    await Promise.all(Array.from({ length: 20 }, () => cached.read(request)));
    await cached.read({ ...request, now: new Date(NOW.getTime() + 1000) });
    expect(memory.requests).toHaveLength(1);
    await cached.read({ ...request, days: 7 });
    expect(memory.requests).toHaveLength(2);
    const down = new MemorySource(fiveTargets(), new Error('down'));
    const failing = new CachedSource(down, 30_000);
    await expect(failing.read(request)).rejects.toThrow('down');
    await expect(failing.read(request)).rejects.toThrow('down');
    expect(down.requests).toHaveLength(2);
  });
});
