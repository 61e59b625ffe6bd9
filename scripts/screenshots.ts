/**
 * `npm run screenshots`: the status page in headless Chromium (light, dark, phone) into docs/, from
 * synthetic history for the five regions, served by the real status handler (scripts/page-preview.ts).
 * Needs Debian's chromium (/usr/bin/chromium); nothing is requested from the regions.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, launchChromium } from '../test/functions/page/browser.js';
import { startPagePreview } from './page-preview.js';

const DOCS = fileURLToPath(new URL('../docs/', import.meta.url));

const SHOTS = [
  { file: 'status-page-light.png', colorScheme: 'light', viewport: { width: 1024, height: 900 } },
  { file: 'status-page-dark.png', colorScheme: 'dark', viewport: { width: 1024, height: 900 } },
  {
    file: 'status-page-phone.png',
    colorScheme: 'light',
    viewport: { width: 360, height: 780 },
    deviceScaleFactor: 2,
  },
] as const;

async function main(): Promise<void> {
  if (CHROMIUM === undefined)
    throw new Error('No Chromium at /usr/bin/chromium: apt-get install -y chromium');
  mkdirSync(DOCS, { recursive: true });
  const preview = await startPagePreview({ targets: ['ca', 'eu', 'nz', 'uk', 'us'] });
  const browser = await launchChromium();
  try {
    for (const shot of SHOTS) {
      const context = await browser.newContext({
        colorScheme: shot.colorScheme,
        viewport: shot.viewport,
        deviceScaleFactor: 'deviceScaleFactor' in shot ? shot.deviceScaleFactor : 1,
      });
      const page = await context.newPage();
      await page.goto(preview.url, { waitUntil: 'load' });
      await page.screenshot({ path: `${DOCS}${shot.file}`, fullPage: false });
      await context.close();
      console.log(`docs/${shot.file}`);
    }
  } finally {
    await browser.close();
    await preview.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`screenshots failed: ${(error as Error).message}`);
  process.exit(1);
});
