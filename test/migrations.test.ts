import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Kysely, Migrator, sql } from 'kysely';
import { type Database, openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { migrations } from '../src/db/migrations/index.js';
import { createTalksEvent, setTalksPhase } from '../src/features/talks/events.js';
import { createProposal } from '../src/features/talks/proposals.js';
import { countVotesOfPerson, votesOfPerson } from '../src/features/talks/queries.js';
import { createEventBody } from '../src/features/talks/schemas.js';
import { castVote } from '../src/features/talks/votes.js';
import { enginesUnderTest, type TestDatabase } from './helpers/databases.js';
import { insertPerson } from './helpers/people.js';
import { runCli } from './helpers/process.js';

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
      const event = await createTalksEvent({
        db,
        actorId: null,
        input: createEventBody.parse({ name: 'Before the migration' }),
      });
      const proposals = [];
      for (let i = 0; i < 3; i++) {
        const actor = { id: people[i]!, role: 'member' as const };
        const input = { title: `Talk ${i}`, description: 'About votes.' };
        proposals.push((await createProposal({ db, actor, eventId: event.id, input })).id);
      }
      await setTalksPhase({ db, actorId: null, eventId: event.id, phase: 'voting' });
      for (const [p, person] of people.entries())
        for (const [q, proposal] of proposals.entries())
          if ((p + q) % 2 === 0) await castVote({ db, actor: { id: person, role: 'member' }, proposalId: proposal });
      const rowsBefore = await db.selectFrom('votes').selectAll().orderBy(['proposal_id', 'person_id']).execute();
      assert.equal(rowsBefore.length, 8);

      assert.equal((await migrateToLatest(db))[0], '0006_votes_one_tree');
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
      const toggled = await castVote({ db, actor: { id: people[0]!, role: 'member' }, proposalId: proposals[0]! });
      assert.equal(toggled.voted, false);
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
      const runs = await Promise.all(Array.from({ length: 4 }, () => runCli(['migrate'], { DATABASE_URL: fresh.url })));
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
