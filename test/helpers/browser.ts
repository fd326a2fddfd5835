/**
 * Debian's Chromium driven by Playwright: browsers cannot be downloaded here,
 * so the system one is used, with its background networking off (this
 * machine's network is closed) and a fresh profile for every launch.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';

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
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)`);
  const profile = mkdtempSync(path.join(os.tmpdir(), 'kaohe-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    env: { ...process.env, FONTCONFIG_FILE: fontConfig(profile) },
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    page,
    context,
    screenshot: async (name) => {
      await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: false });
    },
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * The machine has no CJK font, so screenshots would show boxes for Chinese.
 * The browser gets a font configuration that adds the Noto Sans SC the chart
 * renderer already ships with (nothing is installed on the machine).
 */
function fontConfig(profile: string): string {
  const regular =
    require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');
  const bold = require.resolve('@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf');
  const file = path.join(profile, 'fonts.conf');
  writeFileSync(
    file,
    `<?xml version="1.0"?>
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>${path.dirname(regular)}</dir>
  <dir>${path.dirname(bold)}</dir>
  <cachedir>${path.join(profile, 'fontconfig-cache')}</cachedir>
</fontconfig>
`,
  );
  return file;
}
