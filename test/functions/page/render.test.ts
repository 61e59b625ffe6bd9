import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../../functions/page/csp.js';
import { dayViews, lastDates, uptimeWindows } from '../../../functions/page/days.js';
import type { HistoryData } from '../../../functions/page/model.js';
import { renderPage } from '../../../functions/page/render.js';
import { fiveTargets, NOW } from './fixtures.js';

const OPTIONS = { title: 'Onetime Secret status' };
const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
const cells = (html: string) => [...html.matchAll(/<ol class=bar[^>]*>(.*?)<\/ol>/g)].map((m) => m[1]!);

describe('the status page', () => {
  it('weighs at most 60 KB for 5 targets x 90 days', () => {
    const html = renderPage(fiveTargets(), OPTIONS, NOW);
    expect(Buffer.byteLength(html)).toBeLessThanOrEqual(60 * 1024);
    expect(cells(html)).toHaveLength(5);
  });

  it('loads nothing from anywhere: no src, no stylesheet link, no absolute URL but the configured link', () => {
    const html = renderPage(fiveTargets(), { ...OPTIONS, link: new URL('https://example.com/about') }, NOW);
    expect(html).not.toMatch(/\ssrc=/);
    expect(html).not.toMatch(/rel=stylesheet|@import|url\(/);
    const absolute = [...html.matchAll(/https?:\/\/[^"'\s<)]+/g)].map((m) => m[0]);
    expect(new Set(absolute)).toEqual(new Set(['https://example.com/about', 'http://www.w3.org/2000/svg']));
  });

  it('allows its one stylesheet and its one script by hash in the CSP, and nothing inline otherwise', () => {
    const html = renderPage(fiveTargets(), OPTIONS, NOW);
    const styles = [...html.matchAll(/<style>(.*?)<\/style>/gs)].map((m) => m[1]!);
    const scripts = [...html.matchAll(/<script>(.*?)<\/script>/gs)].map((m) => m[1]!);
    expect(styles).toHaveLength(1);
    expect(scripts).toHaveLength(1);
    const csp = contentSecurityPolicy();
    expect(csp).toContain(`style-src ${sha256(styles[0]!)}`);
    expect(csp).toContain(`script-src ${sha256(scripts[0]!)}`);
    expect(csp).toMatch(/^default-src 'none';/);
    expect(csp).not.toContain('unsafe');
    expect(html).not.toMatch(/\sstyle=|\son[a-z]+=/);
  });

  it("gives each bar cell its day's date, uptime and worst state, oldest first", () => {
    const data = fiveTargets();
    const html = renderPage(data, OPTIONS, NOW);
    const dates = lastDates(NOW, 90);
    cells(html).forEach((bar, i) => {
      const items = [...bar.matchAll(/<li(?: class=(\w))?><span>(.*?)<\/span><\/li>/g)];
      expect(items).toHaveLength(90);
      const days = dayViews(data.targets[i]!.days, dates);
      items.forEach((item, d) => {
        const day = days[d]!;
        const kind = { nominal: undefined, degraded: 'g', down: 'd' }[day.worst ?? 'nominal'];
        expect(item[1]).toBe(day.worst === null ? 'e' : kind);
        expect(item[2]!.startsWith(`${day.date}: ${day.uptime!.toFixed(2)}% up`)).toBe(true);
      });
    });
  });

  it('shows each target state and its 24 h / 7 d / 30 d / 90 d uptime', () => {
    const data = fiveTargets();
    const html = renderPage(data, OPTIONS, NOW);
    for (const target of data.targets) {
      const section = html.slice(html.indexOf(`>${target.target}</h2>`)).split('</section>')[0]!;
      const windows = uptimeWindows(target, NOW);
      const shown = [...section.matchAll(/<dd>(.*?)<\/dd>/g)].map((m) => m[1]);
      expect(shown).toEqual(['24h', '7d', '30d', '90d'].map((k) => `${windows[k as '24h']!.toFixed(2)}%`));
      expect(section).toContain(`${target.current!.latencyMs ?? 'no answer'}`);
    }
  });

  it('says plainly that there is no history yet instead of drawing empty bars', () => {
    const empty: HistoryData = {
      synthetic: false,
      targets: [{ target: 'eu', current: null, days: [], incidents: [], recent: [] }],
    };
    const html = renderPage(empty, OPTIONS, NOW);
    expect(html).toContain('No history yet');
    expect(html).toContain('No checks yet');
    expect(cells(html)).toHaveLength(0);
    expect(html).not.toContain('<svg');
  });

  it('marks synthetic history, and only then', () => {
    const data = fiveTargets();
    expect(renderPage(data, OPTIONS, NOW)).toContain('Synthetic history');
    expect(renderPage({ ...data, synthetic: false }, OPTIONS, NOW)).not.toContain('Synthetic history');
  });

  it('escapes the title, target names and messages', () => {
    const data: HistoryData = {
      synthetic: false,
      targets: [
        {
          target: '<b>x</b>',
          current: {
            state: 'down',
            latencyMs: null,
            checkedAt: '2026-12-01T22:55:00Z',
            message: '<script>x</script>',
          },
          days: [],
          incidents: [
            {
              id: '1',
              target: '<b>x</b>',
              state: 'down',
              start: '2026-12-01T22:50:00Z',
              end: null,
              message: '"><img>',
            },
          ],
          recent: [{ at: '2026-12-01T22:55:00Z', state: 'down', ms: null }],
        },
      ],
    };
    const html = renderPage(data, { title: 'A & B <status>' }, NOW);
    expect(html).toContain('<title>A &amp; B &lt;status&gt;</title>');
    expect(html).not.toContain('<b>x</b>');
    expect(html).not.toContain('<script>x');
    expect(html).not.toContain('"><img>');
    expect(html).toContain('Down: &lt;b&gt;x&lt;/b&gt;');
    expect(html).toContain('<strong>ongoing</strong>');
  });

  it('is the same bytes for the same data, whenever it is rendered that day', () => {
    const data = fiveTargets();
    const later = new Date(NOW.getTime() + 30_000);
    expect(renderPage(data, OPTIONS, later)).toBe(renderPage(data, OPTIONS, NOW));
  });
});
