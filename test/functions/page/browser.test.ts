/**
 * The status page in headless Chromium, served by the status function as serverless-esbuild packages
 * it, under serverless-offline, reading dynalite (loopback) filled by `--seed-history`'s writer. Two
 * targets have 90 days of synthetic history; a third has none. Skipped, with a message, only when no
 * Chromium binary exists (CI installs Debian's chromium). Then the same page from `npm start -- --seed-history
 * 90d` on free ports, its own build folder and the local schedule off.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../../sandbox/index.js';
import type { Sandbox } from '../../../sandbox/types.js';
import { freePort } from '../../../scripts/processes.js';
import { seedHistory } from '../../../scripts/seed-history.js';
import { startTestStore, type TestStore } from '../../monitor/store-helpers.js';
import {
  CHROMIUM,
  type ExpectedTarget,
  expectedFor,
  launchChromium,
  SKIP_MESSAGE,
  visit,
} from './browser.js';
import { type Offline, startOffline } from './offline.js';

if (CHROMIUM === undefined) console.warn(SKIP_MESSAGE);

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TSX = createRequire(import.meta.url).resolve('tsx/cli');

/** The shell's environment without OTS_*, AWS_* or POWERTOOLS_* (npm start sets its own). */
function cleanStartEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(OTS_|ONETIME_|POWERTOOLS_|AWS_)/.test(key)),
  );
}

describe.skipIf(CHROMIUM === undefined)('the status page in Chromium (serverless-offline)', () => {
  let sandboxes: Sandbox[] = [];
  let store: TestStore;
  let offline: Offline;
  let browser: Browser;
  let names: string[];

  beforeAll(async () => {
    sandboxes = await Promise.all([startSandbox(), startSandbox(), startSandbox()]);
    names = sandboxes.map((s) => new URL(s.url).host);
    store = await startTestStore();
    await seedHistory({
      endpoint: store.local.endpoint,
      table: store.table,
      targets: sandboxes
        .slice(0, 2)
        .map((s, i) => ({ name: names[i]!, statusUrl: `${s.url}/api/v2/status` })),
      days: 90,
      historyDays: 90,
    });
    [offline, browser] = await Promise.all([
      startOffline(
        {
          ...store.env,
          OTS_TARGETS: sandboxes.map((s) => s.url).join(','),
          OTS_PAGE_TITLE: 'Browser test status',
          OTS_PAGE_LINK: 'https://example.com/',
          POWERTOOLS_DEV: 'true',
        },
        '.esbuild-page-browser',
      ),
      launchChromium(),
    ]);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await offline?.stop();
    await store?.stop();
    await Promise.all(sandboxes.map((s) => s.stop()));
  });

  const expected = async (): Promise<ExpectedTarget[]> => {
    const now = new Date();
    return Promise.all(names.map(async (name) => expectedFor(name, await store.items(name), now)));
  };

  it("shows each target's state and uptime figures from the stored data, and each bar cell its day", async () => {
    const before = await expected();
    const seen = await visit(browser, `${offline.base}/`);
    const after = await expected();
    expect(seen.targets.map((t) => t.target)).toEqual(names);
    seen.targets.forEach((target, i) => {
      expect(target.state).toBe(before[i]!.state);
      // The 24 h window moves while the page loads: the figure matches the data at one of the two moments.
      expect([before[i]!.uptime, after[i]!.uptime]).toContainEqual(target.uptime);
      expect(target.cells).toHaveLength(before[i]!.cells.length);
      target.cells.forEach((cell, d) => {
        expect(
          cell.text.startsWith(before[i]!.cells[d]!.text),
          `${cell.text} / ${before[i]!.cells[d]!.text}`,
        ).toBe(true);
        expect(cell.kind).toBe(before[i]!.cells[d]!.kind);
      });
    });
    expect(seen.targets[0]!.cells).toHaveLength(90);
    expect(seen.targets[2]).toMatchObject({ state: 'Not checked yet', uptime: [], cells: [] });
  });

  it('logs no console error, requests nothing from another origin and breaks no CSP rule', async () => {
    const seen = await visit(browser, `${offline.base}/`);
    expect(seen.consoleErrors).toEqual([]);
    expect(seen.foreignRequests).toEqual([]);
    expect(seen.violations).toEqual([]);
  });

  it('holds its CSP: an injected inline script and a foreign image are blocked', async () => {
    let injected: unknown;
    const seen = await visit(browser, `${offline.base}/`, {}, async (page) => {
      await page.evaluate(`(() => {
        const s = document.createElement('script'); s.textContent = 'window.__injected = 1'; document.body.append(s);
        const i = document.createElement('img'); i.src = 'https://cdn.example.com/x.png'; document.body.append(i);
      })()`);
      await page.waitForFunction('window.__violations.length >= 2');
      injected = await page.evaluate('window.__injected');
    });
    expect(injected).toBeUndefined();
    expect(seen.violations.some((v) => v.startsWith('script-src'))).toBe(true);
    expect(seen.violations.some((v) => v.startsWith('img-src'))).toBe(true);
    expect(seen.foreignRequests).toEqual([]);
  });

  it('works without JavaScript (times stay UTC), and its hashed script runs with it (times localised)', async () => {
    const times: Record<string, string[]> = {};
    const read = (key: string) => async (page: import('playwright-core').Page) => {
      times[key] = await page.$$eval('time', (all) => all.map((t) => t.textContent ?? ''));
    };
    const off = await visit(browser, `${offline.base}/`, { javaScriptEnabled: false }, read('off'));
    const on = await visit(browser, `${offline.base}/`, { timezoneId: 'Pacific/Auckland' }, read('on'));
    expect(off.targets.map((t) => t.uptime)).toEqual(on.targets.map((t) => t.uptime));
    expect(off.targets[0]!.cells).toHaveLength(90);
    expect(times.off!.length).toBeGreaterThan(0);
    expect(times.off!.every((t) => t.endsWith(' UTC'))).toBe(true);
    expect(times.on!.some((t) => t.endsWith(' UTC'))).toBe(false);
  });

  it('reads from 320 px wide without horizontal scroll, even with a bar tooltip open at either end', async () => {
    const widths: number[] = [];
    const tooltips: number[] = [];
    await visit(browser, `${offline.base}/`, { viewport: { width: 320, height: 640 } }, async (page) => {
      const measure = async () =>
        widths.push((await page.evaluate('document.documentElement.scrollWidth')) as number);
      await measure();
      for (const cell of [
        '.target .bar li:first-child',
        '.target .bar li:last-child',
        '.target .bar li:nth-child(45)',
      ]) {
        await page.hover(cell);
        tooltips.push(
          (await page.$eval(`${cell} span`, (span) => span.getBoundingClientRect().width)) as number,
        );
        await measure();
      }
    });
    expect(
      widths.every((w) => w <= 320),
      widths.join(','),
    ).toBe(true);
    expect(tooltips.every((w) => w > 40)).toBe(true);
  });

  it('applies the dark theme when the reader prefers it, the light one otherwise', async () => {
    const colours: Record<string, string> = {};
    const read = (key: string) => async (page: import('playwright-core').Page) => {
      colours[key] = (await page.evaluate('getComputedStyle(document.body).backgroundColor')) as string;
    };
    await visit(browser, `${offline.base}/`, { colorScheme: 'dark' }, read('dark'));
    await visit(browser, `${offline.base}/`, { colorScheme: 'light' }, read('light'));
    expect(colours).toEqual({ dark: 'rgb(13, 17, 23)', light: 'rgb(255, 255, 255)' });
  });

  it('serves the history JSON, a 304 on a matching ETag, and an Atom feed the browser parses as XML', async () => {
    const history = await fetch(`${offline.base}/history/${encodeURIComponent(names[0]!)}?days=7`);
    expect(history.status).toBe(200);
    const body = (await history.json()) as { days: number; targets: { days: unknown[] }[] };
    expect(body.days).toBe(7);
    expect(body.targets[0]!.days).toHaveLength(7);
    const page = await fetch(`${offline.base}/`);
    const etag = page.headers.get('etag')!;
    const again = await fetch(`${offline.base}/`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect((await fetch(`${offline.base}/history?days=91`)).status).toBe(400);
    expect((await fetch(`${offline.base}/history/unknown.example.com`)).status).toBe(404);
    const xml = await (await fetch(`${offline.base}/incidents.atom`)).text();
    const context = await browser.newContext();
    try {
      const tab = await context.newPage();
      const feed = (await tab.evaluate(`(() => {
        const doc = new DOMParser().parseFromString(${JSON.stringify(xml)}, 'application/xml');
        return { error: doc.querySelector('parsererror') !== null, entries: doc.querySelectorAll('entry').length,
          root: doc.documentElement.namespaceURI };
      })()`)) as { error: boolean; entries: number; root: string };
      expect(feed).toMatchObject({ error: false, root: 'http://www.w3.org/2005/Atom' });
      expect(feed.entries).toBeGreaterThan(0);
    } finally {
      await context.close();
    }
  });
});

describe.skipIf(CHROMIUM === undefined)(
  'the status page in Chromium (npm start -- --seed-history 90d)',
  () => {
    let child: ChildProcess;
    let output = '';
    let browser: Browser;
    let base: string;
    let client: DynamoDBDocumentClient;
    let table: string;
    let sandboxHost: string;

    beforeAll(async () => {
      const port = await freePort('127.0.0.1');
      base = `http://127.0.0.1:${port}`;
      child = spawn(process.execPath, [TSX, 'scripts/start.ts', '--seed-history', '90d'], {
        cwd: ROOT,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...cleanStartEnv(),
          PORT: String(port),
          SANDBOX_PORT: '0',
          OTS_LOCAL_SCHEDULE_SECONDS: '0',
          OTS_ESBUILD_WORK_FOLDER: '.esbuild-page-start',
        },
      });
      await new Promise<void>((resolve, reject) => {
        const watch = (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('Ctrl-C stops')) resolve();
        };
        child.stdout?.on('data', watch);
        child.stderr?.on('data', watch);
        child.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
      });
      const history = /History: dynalite at (\S+), table ([^;]+);/.exec(output);
      sandboxHost = new URL(/Sandbox \(OTS API\):\s+(\S+)/.exec(output)![1]!).host;
      table = history![2]!;
      client = DynamoDBDocumentClient.from(
        new DynamoDBClient({
          endpoint: history![1]!,
          region: 'eu-west-1',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }),
      );
      browser = await launchChromium();
    }, 240_000);

    afterAll(async () => {
      client?.destroy();
      await browser?.close();
      if (child?.pid !== undefined && child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        process.kill(-child.pid, 'SIGINT');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Gone.
        }
      }
      rmSync(join(ROOT, '.esbuild-page-start'), { recursive: true, force: true });
    });

    it('prints the page URL, and the page shows the seeded history, marked synthetic, with no error or foreign request', async () => {
      expect(output).toContain(`Status page:         ${base}/`);
      expect(output).toMatch(/Seeded \d+ synthetic history items \(90 days\)/);
      const answer = await client.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `T#${sandboxHost}` },
        }),
      );
      const before = expectedFor(sandboxHost, answer.Items ?? [], new Date());
      let synthetic = false;
      const seen = await visit(browser, `${base}/`, {}, async (page) => {
        synthetic = (await page.textContent('main'))?.includes('Synthetic history') ?? false;
      });
      const after = expectedFor(sandboxHost, answer.Items ?? [], new Date());
      expect(synthetic).toBe(true);
      expect(seen.targets).toHaveLength(1);
      expect(seen.targets[0]!.state).toBe(before.state);
      expect([before.uptime, after.uptime]).toContainEqual(seen.targets[0]!.uptime);
      expect(seen.targets[0]!.cells.map((c) => c.kind)).toEqual(before.cells.map((c) => c.kind));
      expect(seen.consoleErrors).toEqual([]);
      expect(seen.foreignRequests).toEqual([]);
      expect(seen.violations).toEqual([]);
    });
  },
);
