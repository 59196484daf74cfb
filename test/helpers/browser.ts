import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { assertChromium, CHROMIUM, CHROMIUM_ARGS, SHARED_CHROMIUM_ENV } from '../../scripts/test-chromium.mjs';
import { webDistDir } from '../../src/server.js';

export { CHROMIUM };
export const screenshotDir = join(process.cwd(), 'test-results');

/**
 * Debian's Chromium, headless: the run's shared one when the runner started it (scripts/test-chromium.mjs
 * says why), else one of this file's own. Either way `close()` leaves no context of this file behind.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(join(webDistDir, 'index.html')))
    throw new Error('The web app is not built: run `npm run build:web` first.');
  mkdirSync(screenshotDir, { recursive: true });
  const shared = process.env[SHARED_CHROMIUM_ENV];
  if (shared) return chromium.connect(shared);
  assertChromium();
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export const shot = (name: string) => join(screenshotDir, `${name}.png`);
