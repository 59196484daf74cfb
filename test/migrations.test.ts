import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Kysely, Migrator, sql } from 'kysely';
import { type Database, openDatabase } from '../src/db/database.js';
import { migrations } from '../src/db/migrations/index.js';
import { groupStats } from '../src/features/mixers/stats.js';
import { countVotesOfPerson, votesOfPerson } from '../src/features/talks/queries.js';
import { enginesUnderTest, type TestDatabase } from './helpers/databases.js';
import { insertPerson } from './helpers/people.js';
import { runCliProcess } from './helpers/process.js';

const migrator = (database: Database) =>
  new Migrator({ db: database.db, provider: { getMigrations: async () => migrations } });

for (const engine of enginesUnderTest()) {
  describe(`migrations [${engine.engine}]`, () => {
    let testDatabase: TestDatabase;
    let database: Database;
    before(async () => {
      testDatabase = await engine.create();
      database = openDatabase(testDatabase.url);
    });
    after(async () => {
      await database?.close();
      await testDatabase?.drop();
    });

    test('votes cast before the one-tree migration are all there after it, still one per person and proposal', async () => {
      const { db } = database;
      const upTo = await migrator(database).migrateTo('0005_meeting_messages');
      assert.equal(upTo.error, undefined);
      const people = [];
      for (let i = 0; i < 5; i++) people.push(await insertPerson(db, { username: `voter${i}` }));
      // Rows as the code of that time wrote them (today's use cases write columns added since).
      const now = new Date().toISOString();
      const event = { id: 'ev-before' };
      await db
        .insertInto('events')
        .values({
          id: event.id,
          kind: 'talks',
          name: 'Before the migration',
          description: '',
          description_html: '',
          phase: 'voting',
          proposals_during_voting: 0,
          top_n: 3,
          vote_limit: null,
          voting_opens_at: null,
          voting_closes_at: null,
          created_at: now,
          updated_at: now,
        } as never)
        .execute();
      const proposals: string[] = [];
      for (let i = 0; i < 3; i++) {
        proposals.push(`pr-${i}`);
        await db
          .insertInto('proposals')
          .values({
            id: `pr-${i}`,
            event_id: event.id,
            speaker_id: people[i]!,
            created_by: people[i]!,
            title: `Talk ${i}`,
            title_key: `talk ${i}`,
            description: 'About votes.',
            description_html: '<p>About votes.</p>',
            hidden: 0,
            hidden_reason: null,
            hidden_by: null,
            hidden_at: null,
            vote_count: 0,
            created_at: now,
            updated_at: now,
          } as never)
          .execute();
      }
      for (const [p, person] of people.entries())
        for (const [q, proposal] of proposals.entries())
          if ((p + q) % 2 === 0) {
            await db
              .insertInto('votes')
              .values({ proposal_id: proposal, person_id: person, event_id: event.id, created_at: now })
              .execute();
            await db
              .updateTable('proposals')
              .set((eb) => ({ vote_count: eb('vote_count', '+', 1) }))
              .where('id', '=', proposal)
              .execute();
          }
      const rowsBefore = await db.selectFrom('votes').selectAll().orderBy(['proposal_id', 'person_id']).execute();
      assert.equal(rowsBefore.length, 8);

      const to0006 = await migrator(database).migrateTo('0006_votes_one_tree');
      assert.deepEqual(
        to0006.results?.map((r) => r.migrationName),
        ['0006_votes_one_tree'],
      );
      const rowsAfter = await db.selectFrom('votes').selectAll().orderBy(['proposal_id', 'person_id']).execute();
      assert.deepEqual(rowsAfter, rowsBefore, 'every vote, as it was');

      // A person's votes are found through the event's proposals now.
      assert.deepEqual(
        (await votesOfPerson(db, event.id, people[0]!)).sort(),
        [proposals[0]!, proposals[2]!].sort(),
        'my votes are still marked',
      );
      assert.equal(await countVotesOfPerson(db, event.id, people[1]!), 1);
      // Still one vote per person and proposal, and voting goes on.
      await assert.rejects(
        db
          .insertInto('votes')
          .values({ ...rowsAfter[0]!, created_at: new Date().toISOString() })
          .execute(),
        /unique|duplicate/i,
      );
      const counts = await db.selectFrom('proposals').select(['id', 'vote_count']).execute();
      for (const { id, vote_count } of counts) {
        const rows = await db.selectFrom('votes').select('person_id').where('proposal_id', '=', id).execute();
        assert.equal(vote_count, rows.length, 'counts equal rows');
      }
      if (engine.engine === 'sqlite') {
        const table = await sql<{ sql: string }>`select sql from sqlite_master where name = 'votes'`.execute(db);
        assert.match(table.rows[0]!.sql, /without rowid/i);
      }
      const indexes =
        engine.engine === 'sqlite'
          ? await sql`select name from sqlite_master where type = 'index' and tbl_name = 'votes'`.execute(db)
          : await sql`select indexname as name from pg_indexes where tablename = 'votes' and indexname <> 'votes_pk'`.execute(
              db,
            );
      assert.deepEqual(indexes.rows, [], 'the primary key is the only index a vote writes');
    });

    test('meetings made before 0007 get their group as origin and its message settings; channel choices follow', async () => {
      const { db } = database;
      const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
      assert.equal(applied.rows.at(-1)?.name, '0006_votes_one_tree', 'runs after the votes test, at 0006');
      // Rows as the code before 0007 wrote them: settings on the group, none on the meeting.
      const now = new Date().toISOString();
      const [ann, ben] = [
        await insertPerson(db, { username: 'old-ann' }),
        await insertPerson(db, { username: 'old-ben' }),
      ];
      await db
        .insertInto('groups')
        .values({
          id: 'g-old',
          name: 'Old coffee',
          name_key: 'old coffee',
          description: '',
          cron: '0 10 * * MON',
          timezone: 'UTC',
          every_weeks: 1,
          anchor_date: null,
          size: 2,
          odd_policy: 'trio',
          eligibility: '{"kind":"everyone"}',
          membership: 'open',
          intro_template: 'Hi {{names}}',
          reminder_minutes: 30,
          follow_up_days: 7,
          reminder_template: 'Soon, {{names}}',
          follow_up_template: null,
          archived: 0,
          next_round_at: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      const meeting = (id: string, groupId: string | null) => ({
        id,
        source: groupId ? 'round' : 'manual',
        external_id: null,
        group_id: groupId,
        round_id: null,
        title: id,
        starts_at: null,
        duration_minutes: null,
        room_url: null,
        status: 'scheduled' as const,
        reminder_minutes: groupId ? 30 : null,
        created_at: now,
        updated_at: now,
      });
      await db
        .insertInto('meetings')
        .values([meeting('m-group', 'g-old'), meeting('m-manual', null)])
        .execute();
      await db
        .insertInto('notification_prefs')
        .values([
          { person_id: ann, scope: '', channel: 'email', enabled: 1, updated_at: now },
          { person_id: ann, scope: 'g-old', channel: 'email', enabled: 0, updated_at: now },
          { person_id: ben, scope: 'g-old', channel: 'slack', enabled: 1, updated_at: now },
        ])
        .execute();
      const outbox = (id: string, meetingId: string) => ({
        id,
        meeting_id: meetingId,
        person_id: ann,
        channel: 'email' as const,
        kind: 'intro' as const,
        payload: '{}',
        status: 'sent' as const,
        attempts: 1,
        next_attempt_at: now,
        claimed_until: null,
        claimed_by: null,
        recovered: 0 as const,
        last_error: null,
        result: null,
        sent_at: now,
        dedupe_key: id,
        created_at: now,
        updated_at: now,
      });
      // Typed for the schema after 0007; these columns did not exist yet, so they are left out.
      const rows = [outbox('n-group', 'm-group'), outbox('n-manual', 'm-manual')];
      await db
        .insertInto('notifications')
        .values(rows as never)
        .execute();
      const counts = async () =>
        Object.fromEntries(
          await Promise.all(
            (['meetings', 'notifications', 'notification_prefs', 'groups'] as const).map(async (table) => [
              table,
              Number(
                (
                  await db
                    .selectFrom(table)
                    .select((eb) => eb.fn.countAll().as('n'))
                    .executeTakeFirstOrThrow()
                ).n,
              ),
            ]),
          ),
        );
      const before = await counts();

      const result = await migrator(database).migrateTo('0007_meeting_origins');
      assert.equal(result.error, undefined);
      assert.deepEqual(await counts(), before, 'no row lost or added');
      const meetings = await db.selectFrom('meetings').selectAll().orderBy('id').execute();
      const grouped = meetings.find((m) => m.id === 'm-group')!;
      assert.equal(grouped.origin, 'group:g-old');
      assert.equal(grouped.origin_name, 'Old coffee');
      assert.equal(grouped.intro_template, 'Hi {{names}}');
      assert.equal(grouped.reminder_template, 'Soon, {{names}}');
      assert.equal(grouped.follow_up_days, 7);
      assert.equal(grouped.reminder_minutes, 30);
      const manual = meetings.find((m) => m.id === 'm-manual')!;
      assert.equal(manual.origin, null);
      assert.equal(manual.intro_template, null);
      const notes = await db
        .selectFrom('notifications')
        .select(['id', 'origin', 'origin_name'])
        .orderBy('id')
        .execute();
      assert.deepEqual(notes, [
        { id: 'n-group', origin: 'group:g-old', origin_name: 'Old coffee' },
        { id: 'n-manual', origin: null, origin_name: null },
      ]);
      const prefs = await db
        .selectFrom('notification_prefs')
        .select(['person_id', 'scope', 'channel', 'enabled'])
        .orderBy(['person_id', 'scope', 'channel'])
        .execute();
      assert.deepEqual(prefs.map((p) => [p.person_id === ann ? 'ann' : 'ben', p.scope, p.channel, p.enabled]).sort(), [
        ['ann', '', 'email', 1],
        ['ann', 'group:g-old', 'email', 0],
        ['ben', 'group:g-old', 'slack', 1],
      ]);
    });

    test('rounds made before undo existed still count after 0018: none undone, no skips to give back', async () => {
      const db = database.db as unknown as Kysely<any>;
      await migrator(database).migrateTo('0014_unconference');
      const now = new Date().toISOString();
      await db
        .insertInto('rounds')
        .values({
          id: 'r-old',
          group_id: 'g-old',
          scheduled_for: now,
          round_index: 0,
          seed: 'seed',
          stats: '{"members":2,"pairs":1,"trios":0,"satOut":0,"skipped":0,"repeatPairs":0,"sameTeamPairs":0}',
          created_at: now,
        })
        .execute();
      const result = await migrator(database).migrateToLatest();
      assert.equal(result.error, undefined);
      const rounds = await db.selectFrom('rounds').select(['id', 'undone_at', 'undone_by']).execute();
      assert.deepEqual(rounds, [{ id: 'r-old', undone_at: null, undone_by: null }]);
      const stats = await groupStats(database.db, 'g-old');
      assert.equal(stats.rounds, 1, 'the old round counts');
      const skips = await db.selectFrom('round_used_skips').selectAll().execute();
      assert.deepEqual(skips, []);
    });
  });
}

describe('migrations [sqlite]: one transaction per run', () => {
  let testDatabase: TestDatabase;
  let database: Database;
  before(async () => {
    testDatabase = await enginesUnderTest()[0]!.create();
    database = openDatabase(testDatabase.url);
  });
  after(async () => {
    await database?.close();
    await testDatabase?.drop();
  });

  test('a run that fails part-way leaves no trace, so the next start can run it again', async () => {
    const tables = async () =>
      (await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(database.db)).rows.map(
        (row) => row.name,
      );
    let failing = true;
    const steps = {
      '0001_first': {
        up: async (db: Kysely<unknown>) =>
          void (await db.schema.createTable('first').addColumn('id', 'text').execute()),
      },
      '0002_second': {
        up: async (db: Kysely<unknown>) => {
          await db.schema.createTable('second').addColumn('id', 'text').execute();
          if (failing) throw new Error('killed half-way');
        },
      },
    };
    const run = () =>
      new Migrator({ db: database.db, provider: { getMigrations: async () => steps } }).migrateToLatest();
    const first = await run();
    assert.match(String(first.error), /killed half-way/);
    const afterFailure = await tables();
    assert.equal(
      afterFailure.includes('first') || afterFailure.includes('second'),
      false,
      'the failed run created nothing',
    );

    failing = false;
    const second = await run();
    assert.equal(second.error, undefined, 'run again, it succeeds');
    assert.ok((await tables()).includes('first') && (await tables()).includes('second'));
  });

  test('processes started together on a new database all come up: one migrates, the others find it done', async () => {
    const fresh = await enginesUnderTest()[0]!.create();
    try {
      const runs = await Promise.all(
        Array.from({ length: 4 }, () => runCliProcess(['migrate'], { DATABASE_URL: fresh.url })),
      );
      assert.deepEqual(
        runs.map((run) => run.code),
        [0, 0, 0, 0],
        runs.map((run) => run.output).join('\n'),
      );
      assert.equal(runs.filter((run) => run.output.includes('Applied 0001_foundation')).length, 1, 'migrated once');
      const check = openDatabase(fresh.url);
      const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(check.db);
      await check.close();
      assert.equal(applied.rows.length, Object.keys(migrations).length);
    } finally {
      await fresh.drop();
    }
  });
});
