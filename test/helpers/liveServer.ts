import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser.js';
import { enginesUnderTest, type TestDatabase } from './databases.js';
import { startTestApp, type TestApp } from './server.js';

/** A test app listening on a real port, for the browser. */
export async function startLiveApp(
  database: TestDatabase,
  overrides: Record<string, unknown> = {},
): Promise<TestApp & { url: string }> {
  const testApp = await startTestApp(database, overrides);
  return { ...testApp, url: await listenLocally(testApp.app) };
}

/** Puts an app on a free local port; its base URL (http://127.0.0.1:port). */
export function listenLocally(app: FastifyInstance): Promise<string> {
  return app.listen({ port: 0, host: '127.0.0.1' });
}

export type LiveApp = TestApp & { url: string };

/**
 * What every browser test file starts with (through browserAppForFile, helpers/browserFile.ts): a fresh
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
