import { after, before, describe } from 'node:test';
import { type EngineUnderTest, enginesUnderTest, type TestDatabase } from './databases.js';
import { startTestApp, type TestApp } from './server.js';

/**
 * Declares the same suite once per engine, each with its own fresh database and app.
 * `get()` returns the running app inside tests.
 */
export function forEachEngine(
  title: string,
  body: (get: () => TestApp, engine: EngineUnderTest['engine']) => void,
  overrides: Record<string, unknown> = {},
): void {
  for (const engine of enginesUnderTest()) {
    describe(`${title} [${engine.engine}]`, () => {
      let database: TestDatabase;
      let app: TestApp | undefined;
      before(async () => {
        database = await engine.create({ migrated: true });
        app = await startTestApp(database, overrides);
      });
      after(async () => {
        await app?.close();
        await database?.drop();
      });
      body(() => {
        if (!app) throw new Error('test app not started');
        return app;
      }, engine.engine);
    });
  }
}
