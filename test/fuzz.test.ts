// test-runner: one process per engine
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { clientFor, insertPerson } from './helpers/people.js';
import { adminClient, Client } from './helpers/server.js';
import { forEachEngine } from './helpers/suite.js';

/**
 * Property-based requests for every operation in the OpenAPI document, as three audiences
 * (anonymous, member, admin): whatever the path parameters, query and body, the answer is never a
 * 5xx, and every 4xx is the API's error shape. Runs per operation and audience:
 * CONVENE_FUZZ_RUNS (default 10); CONVENE_FUZZ_SEED replays a failure.
 */
const RUNS = Number(process.env.CONVENE_FUZZ_RUNS ?? 10);
const SEED = process.env.CONVENE_FUZZ_SEED ? Number(process.env.CONVENE_FUZZ_SEED) : undefined;

interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  maxLength?: number;
}
interface Operation {
  method: string;
  path: string;
  pathParams: string[];
  query: Array<{ name: string; schema: JsonSchema }>;
  body: JsonSchema | null;
}

/** Percent-escapes and fragments that are not text the API can take, spliced in raw. */
const RAW_FRAGMENTS = ['%00', '%E0%A4%A', '%', '%zz', '%ED%A0%80', '%C0%80', '%FF', '..', '%2F', '%20'];

const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
);

/** Values shaped after a schema most of the time (so that requests get past the first check), junk otherwise. */
function valueFor(schema: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 3) return junk;
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants?.length) return fc.oneof(...variants.map((s) => valueFor(s, depth + 1)), junk);
  if (schema.enum?.length) return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...schema.enum) }, junk);
  if (schema.const !== undefined) return fc.oneof({ weight: 4, arbitrary: fc.constant(schema.const) }, junk);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  const shaped = (() => {
    switch (type) {
      case 'string':
        return fc.oneof(
          fc.string({ maxLength: Math.min(schema.maxLength ?? 60, 60) }),
          fc.string({ unit: 'binary', maxLength: 30 }),
          fc.string({ unit: fc.constantFrom('[', ']', '(', '*', '_', '>', ' ', '\n', '`'), maxLength: 300 }),
          fc.constantFrom('2026-01-01T10:00:00Z', 'Europe/Paris', 'a@example.org', 'admin', '0 9 * * 1'),
        );
      case 'integer':
        return fc.oneof(fc.integer({ min: -5, max: 500 }), fc.integer());
      case 'number':
        return fc.oneof(fc.integer({ min: -5, max: 500 }), fc.double());
      case 'boolean':
        return fc.boolean();
      case 'array':
        return fc.array(valueFor(schema.items, depth + 1), { maxLength: 4 });
      case 'object':
        return objectFor(schema, depth + 1);
      default:
        return junk;
    }
  })();
  return fc.oneof({ weight: 4, arbitrary: shaped }, junk);
}

function objectFor(schema: JsonSchema, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  const entries = Object.entries(schema.properties ?? {});
  const known = fc.record(Object.fromEntries(entries.map(([name, s]) => [name, valueFor(s, depth)])), {
    requiredKeys: [],
  });
  return fc.oneof(
    { weight: 4, arbitrary: known },
    known.chain((value) => fc.string({ maxLength: 10 }).map((extra) => ({ ...value, [extra]: 1 }))),
  );
}

/** Path parameters: ids that exist, strings of any kind (escaped), and raw bad escapes. */
function segment(knownIds: string[]): fc.Arbitrary<string> {
  const encode = (text: string) => {
    try {
      return encodeURIComponent(text);
    } catch {
      return text.replace(/[^A-Za-z0-9]/g, '%00');
    }
  };
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...knownIds) },
    fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }).map(encode),
    fc.string({ minLength: 101, maxLength: 300 }).map(encode),
    fc.constantFrom(...RAW_FRAGMENTS).map((raw) => `x${raw}`),
  );
}

function queryFor(op: Operation): fc.Arbitrary<string> {
  const params = fc.record(Object.fromEntries(op.query.map((q) => [q.name, valueFor(q.schema)])), {
    requiredKeys: [],
  });
  return fc.tuple(params, fc.option(fc.constantFrom(...RAW_FRAGMENTS), { freq: 4 })).map(([values, raw]) => {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(values))
      search.append(name, typeof value === 'string' ? value : JSON.stringify(value));
    const text = search.toString();
    const withRaw = raw === null ? text : `${text}${text ? '&' : ''}${op.query[0]?.name ?? 'q'}=${raw}`;
    return withRaw ? `?${withRaw}` : '';
  });
}

async function operations(app: FastifyInstance): Promise<Operation[]> {
  const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
    paths: Record<string, Record<string, Record<string, any>>>;
  };
  const out: Operation[] = [];
  for (const [path, byMethod] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(byMethod)) {
      const parameters = (op.parameters ?? []) as Array<{ in: string; name: string; schema: JsonSchema }>;
      out.push({
        method: method.toUpperCase(),
        path,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        query: parameters.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema })),
        body: op.requestBody?.content?.['application/json']?.schema ?? null,
      });
    }
  }
  return out;
}

function assertAnswer(label: string, status: number, contentType: string, text: string): void {
  assert.ok(status < 500, `${label} → ${status}: ${text.slice(0, 300)}`);
  if (status < 400) return;
  assert.match(contentType, /application\/json/, `${label} → ${status} is JSON`);
  const body = JSON.parse(text) as { error?: Record<string, unknown> };
  const error = body.error;
  assert.ok(error && typeof error === 'object', `${label} → ${status} has an error: ${text.slice(0, 300)}`);
  assert.deepEqual(Object.keys(body), ['error'], `${label}: nothing beside the error`);
  for (const key of Object.keys(error)) assert.ok(['code', 'message', 'field'].includes(key), `${label}: ${key}`);
  assert.equal(typeof error.code, 'string', label);
  assert.doesNotMatch(String(error.code), /^FST_/, label);
  assert.equal(typeof error.message, 'string', label);
  if ('field' in error) assert.equal(typeof error.field, 'string', label);
}

forEachEngine('fuzz: every operation of the OpenAPI document', (get) => {
  test('never a 5xx, always the API error shape', { timeout: 300_000 }, async () => {
    const { app } = get();
    const db = get().ctx.database.db;
    const admin = await adminClient(app);
    const adminRow = await db
      .selectFrom('people')
      .select('id')
      .where('username', '=', 'admin')
      .executeTakeFirstOrThrow();
    const memberId = await insertPerson(db, { username: 'fuzzy' });
    const event = await admin.post('/api/v1/talks/events', { name: 'Fuzz' });
    assert.equal(event.status, 201);
    const member = await clientFor(app, db, memberId);
    const proposal = await member.post(`/api/v1/talks/events/${event.body.event.id}/proposals`, { title: 'Fuzzed' });
    assert.equal(proposal.status, 201);
    const knownIds = [
      adminRow.id,
      memberId,
      event.body.event.id,
      proposal.body.proposal.id,
      'slack',
      'email',
      'disable',
    ];

    const audiences: Record<string, () => Promise<Client>> = {
      anonymous: async () => new Client(app).prime(),
      member: () => clientFor(app, db, memberId),
      admin: () => clientFor(app, db, adminRow.id),
    };
    const ops = await operations(app);
    assert.ok(ops.length > 40, `the document lists the API (${ops.length} operations)`);
    let requests = 0;
    for (const op of ops) {
      for (const [audience, makeClient] of Object.entries(audiences)) {
        const client = await makeClient();
        const pathArb =
          op.pathParams.length === 0
            ? fc.constant(op.path)
            : fc
                .tuple(...op.pathParams.map(() => segment(knownIds)))
                .map((values) =>
                  op.pathParams.reduce((path, name, i) => path.replace(`{${name}}`, values[i] as string), op.path),
                );
        const bodyArb = op.body ? fc.option(valueFor(op.body), { freq: 8 }) : fc.constant(null);
        await fc.assert(
          fc.asyncProperty(pathArb, queryFor(op), bodyArb, async (path, query, body) => {
            const url = path + query;
            const label = `${audience} ${op.method} ${url} ${JSON.stringify(body)?.slice(0, 200)}`;
            const response = await client.request(op.method as 'GET', url, undefined, {
              ...(body !== null && {
                payload: JSON.stringify(body),
                headers: { 'content-type': 'application/json' },
              }),
            });
            requests++;
            const text = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
            assertAnswer(label, response.status, String(response.headers['content-type'] ?? ''), text);
          }),
          { numRuns: RUNS, ...(SEED !== undefined && { seed: SEED }), endOnFailure: true },
        );
        // Fuzzed admin actions may disable or demote the audiences: put them back for the next operation.
        await db.updateTable('people').set({ enabled: 1 }).where('id', 'in', [adminRow.id, memberId]).execute();
        await db.updateTable('people').set({ role: 'admin' }).where('id', '=', adminRow.id).execute();
        await db.updateTable('people').set({ role: 'member' }).where('id', '=', memberId).execute();
      }
    }
    assert.ok(requests >= ops.length * 3 * RUNS);
  });
});
