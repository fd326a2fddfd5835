/**
 * A Chromium driven by Playwright (chosen in ./chromium: CHROMIUM_PATH, Debian's,
 * or the npm one), with its background networking off (the test needs no
 * network) and a fresh profile for every launch.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { chooseChromium, launchFailed } from './chromium';

/** Where browser tests leave their screenshots (not committed). */
export const ARTIFACTS = path.join(__dirname, '..', 'artifacts');

/** A phone-sized browser tab, and the way to close it all. */
export interface PhoneBrowser {
  page: Page;
  context: BrowserContext;
  /** Saves a full-page screenshot as test/artifacts/<name>.png. */
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

/** Opens a phone-sized tab (390×844) in a fresh Chromium profile. */
export async function openPhoneBrowser(): Promise<PhoneBrowser> {
  const choice = await chooseChromium();
  const profile = mkdtempSync(path.join(os.tmpdir(), 'kaohe-chromium-'));
  const context = await chromium
    .launchPersistentContext(profile, {
      executablePath: choice.executablePath,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        ...choice.args,
      ],
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
    })
    .catch((error: unknown) => {
      rmSync(profile, { recursive: true, force: true });
      throw launchFailed(choice, error);
    });
  const page = context.pages()[0] ?? (await context.newPage());
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    page,
    context,
    screenshot: async (name) => {
      // The page's own Chinese font loads on first use; a shot taken before would show a fallback.
      await page.evaluate('document.fonts.ready');
      await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: false });
    },
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
