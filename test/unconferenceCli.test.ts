import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openContext } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createUnconferenceEvent } from '../src/features/unconference/events.js';
import { loadTimetable } from '../src/features/unconference/queries.js';
import type { AppContext } from '../src/http/context.js';
import { enginesUnderTest, type TestDatabase } from './helpers/databases.js';
import { runCli } from './helpers/process.js';

for (const engine of enginesUnderTest()) {
  describe(`unconference commands [${engine.engine}]`, () => {
    let database: TestDatabase;
    let ctx: AppContext;
    let env: Record<string, string>;
    const dir = mkdtempSync(join(tmpdir(), 'convene-unconf-cli-'));
    before(async () => {
      database = await engine.create({ migrated: true });
      env = { DATABASE_URL: database.url };
      ctx = await openContext(loadConfig({ env, cwd: tmpdir() }));
    });
    after(async () => {
      await ctx?.database.close();
      await database?.drop();
    });

    test('list, import and export a timetable; a bad file is refused naming the field, changing nothing', async () => {
      const event = await createUnconferenceEvent({
        db: ctx.database.db,
        actorId: null,
        input: {
          name: 'Summit Design Sessions',
          description: '',
          timezone: 'America/New_York',
          websiteActive: true,
          scheduleVisible: false,
          proposalLimit: null,
          videoRooms: false,
          schedulingAt: null,
          publishAt: null,
          finishAt: null,
        },
      });
      const list = await runCli(['unconference', 'list'], env);
      assert.equal(list.code, 0, list.output);
      assert.match(list.output, new RegExp(`${event.id}\\tproposals\\tSummit Design Sessions`));

      const file = join(dir, 'timetable.json');
      writeFileSync(
        file,
        JSON.stringify({
          days: [
            {
              date: '2026-11-02',
              label: 'Day one',
              slots: [
                { start: '09:00', end: '10:00' },
                { start: '10:00', end: '10:30', break: true, label: 'Coffee' },
                { start: '10:30', end: '11:30' },
              ],
            },
            { date: '2026-11-03', slots: [{ start: '09:00', end: '10:00' }] },
          ],
          rooms: [
            { name: 'Ballroom', capacity: 120 },
            { name: 'Hallway', capacity: 15, place: false },
          ],
        }),
      );
      const imported = await runCli(['unconference', 'import', 'summit design sessions', file], env);
      assert.equal(imported.code, 0, imported.output);
      assert.match(imported.output, /2 days, 4 slots, 2 rooms/);
      const timetable = await loadTimetable(ctx.database.db, event.id);
      assert.equal(timetable.slots.length, 4);
      // 09:00 in New York in November (EST) is 14:00 UTC.
      assert.equal(timetable.slots[0]?.starts_at, '2026-11-02T14:00:00.000Z');

      const out = join(dir, 'out.json');
      const exported = await runCli(['unconference', 'export', event.id, '--out', out], env);
      assert.equal(exported.code, 0, exported.output);
      const back = JSON.parse(readFileSync(out, 'utf8'));
      assert.equal(back.timezone, 'America/New_York');
      assert.deepEqual(back.days[0].slots[1], { start: '10:00', end: '10:30', break: true, label: 'Coffee' });
      assert.deepEqual(back.rooms[1], { name: 'Hallway', capacity: 15, url: null, place: false });

      const bad: Array<[unknown, RegExp]> = [
        [
          { days: [{ date: '2026-11-02', slots: [{ start: '9am', end: '10:00' }] }], rooms: [] },
          /days\[0\]\.slots\[0\]\.start/,
        ],
        [{ days: [], rooms: [{ name: 'X', capacity: -3 }] }, /rooms\[0\]\.capacity/],
        [
          { days: [{ date: '2026-11-02', slots: [{ start: '11:00', end: '10:00' }] }], rooms: [] },
          /days\[0\]\.slots\[0\]\.end/,
        ],
        [{ days: [], rooms: [], extra: 1 }, /extra|Unrecognized/],
      ];
      for (const [content, field] of bad) {
        writeFileSync(file, JSON.stringify(content));
        const result = await runCli(['unconference', 'import', event.id, file], env);
        assert.equal(result.code, 2, result.output);
        assert.match(result.output, field);
        assert.match(result.output, /timetable\.json/);
      }
      writeFileSync(file, '{ not json');
      const notJson = await runCli(['unconference', 'import', event.id, file], env);
      assert.equal(notJson.code, 2);
      assert.match(notJson.output, /not valid JSON/);
      assert.equal((await loadTimetable(ctx.database.db, event.id)).slots.length, 4, 'nothing changed');
      const unknown = await runCli(['unconference', 'export', 'No such thing'], env);
      assert.equal(unknown.code, 1);
      assert.match(unknown.output, /No unconference named "No such thing"/);
    });
  });
}
