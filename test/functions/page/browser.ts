/**
 * The status page in a real browser: Debian's Chromium, driven by playwright-core (which never
 * downloads a browser). What the page must show is worked out here from the raw stored items, with the
 * spec's own arithmetic, not through the page's code.
 */
import { existsSync } from 'node:fs';
import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core';

export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));

export const SKIP_MESSAGE =
  'Skipping the browser tests: no Chromium binary at /usr/bin/chromium (apt-get install -y chromium; CI installs it).';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM!,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

type Item = Record<string, unknown>;
const DAY_MS = 86_400_000;

export interface ExpectedTarget {
  target: string;
  state: string;
  uptime: string[];
  /** Per bar cell, oldest first: the start of its text and its class. */
  cells: { text: string; kind: string }[];
}

const percent = (up: number, total: number) =>
  total === 0 ? 'no checks' : `${(Math.floor((up * 10_000) / total) / 100).toFixed(2)}%`;

/** From one target's raw items (its whole partition) at time `now`. */
export function expectedFor(target: string, items: readonly Item[], now: Date): ExpectedTarget {
  const days = new Map<string, { n: number; g: number; d: number }>();
  let day24 = { up: 0, total: 0 };
  for (const item of items) {
    if (!String(item.sk).startsWith('DAY#')) continue;
    const counts = { n: Number(item.nominal ?? 0), g: Number(item.degraded ?? 0), d: Number(item.down ?? 0) };
    days.set(String(item.date), counts);
    const start = Date.parse(`${item.date}T00:00:00Z`);
    for (const [second, , code] of (item.samples ?? []) as number[][]) {
      const at = start + second! * 1000;
      if (at > now.getTime() - DAY_MS && at <= now.getTime()) {
        day24 = { up: day24.up + (code === 2 ? 0 : 1), total: day24.total + 1 };
      }
    }
  }
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const dates = Array.from({ length: 90 }, (_, i) =>
    new Date(today - (89 - i) * DAY_MS).toISOString().slice(0, 10),
  );
  const window = (count: number) => {
    let up = 0;
    let total = 0;
    for (const date of dates.slice(-count)) {
      const c = days.get(date);
      if (c === undefined) continue;
      up += c.n + c.g;
      total += c.n + c.g + c.d;
    }
    return percent(up, total);
  };
  const cells = dates.map((date) => {
    const c = days.get(date) ?? { n: 0, g: 0, d: 0 };
    const total = c.n + c.g + c.d;
    if (total === 0) return { text: `${date}: no checks`, kind: 'e' };
    return { text: `${date}: ${percent(c.n + c.g, total)} up`, kind: c.d > 0 ? 'd' : c.g > 0 ? 'g' : '' };
  });
  const state = items.find((item) => item.sk === 'STATE')?.state as string | undefined;
  const word =
    { nominal: 'Operational', degraded: 'Degraded', down: 'Down' }[state ?? ''] ?? 'Not checked yet';
  // Before any history the page draws no bar and no figures.
  if (days.size === 0) return { target, state: word, uptime: [], cells: [] };
  return {
    target,
    state: word,
    uptime: [percent(day24.up, day24.total), window(7), window(30), window(90)],
    cells,
  };
}

export interface Seen {
  targets: ExpectedTarget[];
  consoleErrors: string[];
  foreignRequests: string[];
  violations: string[];
}

/** Opens the page in a fresh context and reads what it shows, watching the console and every request. */
export async function visit(
  browser: Browser,
  url: string,
  options: BrowserContextOptions = {},
  inspect?: (page: Page) => Promise<void>,
): Promise<Seen> {
  const context = await browser.newContext(options);
  const origin = new URL(url).origin;
  const seen: Seen = { targets: [], consoleErrors: [], foreignRequests: [], violations: [] };
  // Nothing may leave the page's origin; should anything try, it is recorded and never sent.
  await context.route('**/*', async (route) => {
    const requested = route.request().url();
    if (requested.startsWith(`${origin}/`) || requested.startsWith('data:')) return route.continue();
    seen.foreignRequests.push(requested);
    return route.abort();
  });
  // Runs before the page's own code, outside its CSP (playwright injects it), to count violations.
  await context.addInitScript({
    content:
      'window.__violations = []; document.addEventListener("securitypolicyviolation", ' +
      '(e) => window.__violations.push(e.violatedDirective + " " + e.blockedURI));',
  });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') seen.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => seen.consoleErrors.push(error.message));
  try {
    const response = await page.goto(url, { waitUntil: 'load' });
    if (response?.status() !== 200) throw new Error(`${url} answered ${response?.status()}`);
    seen.targets = await page.$$eval('section.target', (sections) =>
      sections.map((section) => ({
        target: section.querySelector('h2')?.textContent ?? '',
        state: section.querySelector('.st')?.textContent?.replace(/^[✓!✕] /, '') ?? '',
        uptime: [...section.querySelectorAll('dd')].map((dd) => dd.textContent ?? ''),
        cells: [...section.querySelectorAll('.bar li')].map((li) => ({
          text: li.textContent ?? '',
          kind: li.className,
        })),
      })),
    );
    await inspect?.(page);
    seen.violations = (await page.evaluate('window.__violations')) as string[];
  } finally {
    await context.close();
  }
  return seen;
}
