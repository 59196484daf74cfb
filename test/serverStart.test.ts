import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachEngine } from './helpers/suite.js';

// Listened for before any server of this process is built: Fastify warns once per process.
const warnings: Array<{ name: string; code?: string; message: string }> = [];
process.on('warning', (warning) => warnings.push(warning as { name: string; code?: string; message: string }));

forEachEngine('server start', (get) => {
  test('the server starts without a Fastify deprecation warning (maxParamLength goes in routerOptions)', async () => {
    await new Promise((resolve) => setImmediate(resolve));
    const fastify = warnings.filter((w) => w.name === 'FastifyWarning' || /^FST/.test(w.code ?? ''));
    assert.deepEqual(
      fastify.map((w) => `${w.code}: ${w.message}`),
      [],
    );
  });

  test('a path parameter up to 512 characters still reaches its route (the router keeps that limit)', async () => {
    // Longer than Fastify's default of 100: without the setting the route is not found (404).
    const response = await get().app.inject({
      method: 'DELETE',
      url: `/api/v1/meetings/by-source/hr-tool/${'a'.repeat(300)}`,
    });
    assert.equal(response.statusCode, 401, response.body);
  });
});
