import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './browser.js';
import { enginesUnderTest, type TestDatabase } from './databases.js';
import { type LiveApp, startLiveApp } from './liveServer.js';

/** What a browser test file's tests use: one Chromium and one live app for the whole file. */
export interface BrowserFile {
  readonly browser: Browser;
  readonly live: LiveApp;
  readonly database: TestDatabase;
  /**
   * A set-up step of the file that needs the app or the browser: a `before` that runs once they
   * have started. (Node 20 runs a file's top-level `before` hooks side by side, not in order.)
   */
  before(setUp: () => Promise<void>): void;
}

/**
 * Starts, before the file's first test, a fresh SQLite database, the app on a real port (with
 * `overrides` to its config) and Debian's Chromium, and stops all three after its last test. The
 * getters throw when a test runs without them (its `before` failed), rather than handing out undefined.
 */
export function browserAppForFile(overrides: Record<string, unknown> = {}): BrowserFile {
  let started: Awaited<ReturnType<typeof startBrowserApp>> | undefined;
  let starting: Promise<unknown> | undefined;
  const start = () => {
    starting ??= startBrowserApp(overrides).then((app) => {
      started = app;
    });
    return starting;
  };
  before(start);
  after(async () => {
    await started?.close();
  });
  const get = () => {
    if (!started) throw new Error('the browser and the live app did not start');
    return started;
  };
  return {
    get browser() {
      return get().browser;
    },
    get live() {
      return get().live;
    },
    get database() {
      return get().database;
    },
    before(setUp) {
      before(async () => {
        await start();
        await setUp();
      });
    },
  };
}

/**
 * Nothing sticks out on the right: no sideways scrolling. Measured against the width the page was
 * given, not `innerWidth`: on a phone the browser zooms out to fit a too-wide page, so `innerWidth`
 * grows with it. The message names the elements that stick out, to say what to fix.
 */
export async function assertFits(page: Page, what = 'the page'): Promise<void> {
  const width = page.viewportSize()?.width ?? 0;
  const wide = await page.evaluate((w) => {
    const out: string[] = [];
    for (const el of document.querySelectorAll('body *')) {
      const box = el.getBoundingClientRect();
      if (box.right > w + 0.5 && out.length < 8)
        out.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} right=${Math.round(box.right)}`);
    }
    return { overflow: Math.max(document.documentElement.scrollWidth, window.innerWidth) - w, out };
  }, width);
  assert.ok(wide.overflow <= 0, `${what} is ${wide.overflow}px wider than the screen: ${wide.out.join('; ')}`);
}

/** The form fields on the page that a screen reader could not name (no label, aria-label or -labelledby). */
export function unlabelledFields(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      [...document.querySelectorAll('input, select, textarea')].filter(
        (el) =>
          !(el as HTMLInputElement).labels?.length &&
          !el.getAttribute('aria-label') &&
          !el.getAttribute('aria-labelledby') &&
          (el as HTMLInputElement).type !== 'hidden',
      ).length,
  );
}

/**
 * What every browser test file starts with (through browserAppForFile, above): a fresh
 * SQLite database, the app listening on a real port, and Debian's Chromium. `close` undoes all three.
 */
export async function startBrowserApp(overrides: Record<string, unknown> = {}): Promise<{
  browser: Browser;
  live: LiveApp;
  database: TestDatabase;
  close: () => Promise<void>;
}> {
  const sqlite = enginesUnderTest().find((engine) => engine.engine === 'sqlite');
  if (!sqlite) throw new Error('the SQLite engine is always under test');
  const database = await sqlite.create();
  const live = await startLiveApp(database, overrides);
  // Without a browser the test fails at once rather than hanging on the app it started.
  const browser = await launchBrowser().catch(async (error: unknown) => {
    await live.close();
    await database.drop();
    throw error;
  });
  return {
    browser,
    live,
    database,
    async close() {
      await browser.close();
      await live.close();
      await database.drop();
    },
  };
}
