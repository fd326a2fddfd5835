/**
 * Which Chromium the browser tests drive. A fresh clone must pass `npm test`
 * with nothing but Node and Redis installed, so after the explicit choice
 * and the system browser comes the one the npm registry ships.
 */
import { existsSync } from 'node:fs';

/** Debian's package (`apt-get install chromium`). */
const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/** What to do when no browser works, in one line. */
const NO_BROWSER =
  'No Chromium for the browser test: run `npm ci` (it installs @sparticuz/chromium), ' +
  'install Debian’s chromium, or set CHROMIUM_PATH to a Chromium binary';

/** A browser to launch: its binary, the flags it needs, and where it came from (for messages). */
export interface ChromiumChoice {
  executablePath: string;
  args: string[];
  source: 'CHROMIUM_PATH' | 'debian' | 'npm';
}

/**
 * Picks the browser: CHROMIUM_PATH when it names a path; Debian's
 * /usr/bin/chromium when present; otherwise @sparticuz/chromium from
 * node_modules (unpacked to the temporary folder on first use).
 * CHROMIUM_PATH=npm forces the npm one.
 */
export async function chooseChromium(): Promise<ChromiumChoice> {
  const wanted = process.env.CHROMIUM_PATH?.trim();
  if (wanted && wanted !== 'npm') {
    if (!existsSync(wanted))
      throw new Error(`CHROMIUM_PATH=${wanted} does not exist. ${NO_BROWSER}`);
    return { executablePath: wanted, args: [], source: 'CHROMIUM_PATH' };
  }
  if (!wanted && existsSync(DEBIAN_CHROMIUM))
    return { executablePath: DEBIAN_CHROMIUM, args: [], source: 'debian' };
  return npmChromium();
}

/**
 * @sparticuz/chromium is a headless-shell build made for serverless hosts:
 * its own flags (single process, no zygote, software GL) are what it was
 * built and tested with, so they come along. Its major version stays at 138,
 * the last that runs on Node 20.
 */
async function npmChromium(): Promise<ChromiumChoice> {
  try {
    const sparticuz = (await import('@sparticuz/chromium')).default;
    const executablePath = await sparticuz.executablePath();
    return { executablePath, args: [...sparticuz.args, '--no-sandbox'], source: 'npm' };
  } catch (error) {
    throw new Error(`${NO_BROWSER} (${(error as Error).message})`, { cause: error });
  }
}

/** The error for a browser that was chosen but would not start, with what to do. */
export function launchFailed(choice: ChromiumChoice, error: unknown): Error {
  const first = ((error as Error).message ?? String(error)).split('\n')[0];
  return new Error(
    `${choice.executablePath} (${choice.source}) did not start: ${first}. ${NO_BROWSER}`,
    { cause: error },
  );
}
