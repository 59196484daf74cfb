import type { FastifyInstance } from 'fastify';
import type { TestDatabase } from './databases.js';
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
