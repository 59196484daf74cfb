import type { TestDatabase } from './databases.js';
import { startTestApp, type TestApp } from './server.js';

/** A test app listening on a real port, for the browser. */
export async function startLiveApp(
  database: TestDatabase,
  overrides: Record<string, unknown> = {},
): Promise<TestApp & { url: string }> {
  const testApp = await startTestApp(database, overrides);
  await testApp.app.listen({ port: 0, host: '127.0.0.1' });
  const address = testApp.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return { ...testApp, url: `http://127.0.0.1:${address.port}` };
}
