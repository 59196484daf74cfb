import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { ConfigError } from '../src/config.js';
import type { Db } from '../src/db/database.js';
import { cleanupAlumni } from '../src/features/directory/cleanup.js';
import { formatProblem, type ImportSummary, importDirectory } from '../src/features/directory/importDirectory.js';
import { FeedUnreadable, parseFeedText } from '../src/features/directory/parseFeed.js';
import { directorySyncJob } from '../src/jobs/directorySync.js';
import { newId } from '../src/lib/ids.js';
import { nowIso } from '../src/lib/time.js';
import { runCli } from './helpers/process.js';
import { Client } from './helpers/server.js';
import { forEachEngine } from './helpers/suite.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/directory/${name}`, import.meta.url));

/** A valid feed record; tests override what they are about. */
function record(id: number | string, username: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    auth_username: username,
    first_name: username[0]?.toUpperCase() + username.slice(1),
    last_name: 'Tester',
    title: 'Engineer',
    avatar: `https://img.example.org/${username}.png`,
    enabled: 1,
    is_manager: 0,
    ...extra,
  };
}

const personNamed = (db: Db, username: string) =>
  db.selectFrom('people').selectAll().where('username', '=', username).executeTakeFirst();

async function directoryIdOf(db: Db, personId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('external_ids')
    .select('external_id')
    .where('source', '=', 'directory')
    .where('person_id', '=', personId)
    .executeTakeFirst();
  return row?.external_id;
}

async function makeGroup(db: Db, name: string): Promise<string> {
  const id = newId();
  const now = nowIso();
  await db
    .insertInto('groups')
    .values({
      id,
      name,
      name_key: name.toLowerCase(),
      description: '',
      cron: '0 9 * * 1',
      timezone: 'UTC',
      every_weeks: 1,
      anchor_date: null,
      size: 2,
      odd_policy: 'trio',
      eligibility: JSON.stringify({ kind: 'everyone' }),
      membership: 'open',
      intro_template: null,
      archived: 0,
      next_round_at: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

async function join(db: Db, groupId: string, personId: string): Promise<void> {
  await db
    .insertInto('group_members')
    .values({
      group_id: groupId,
      person_id: personId,
      status: 'active',
      paused_until: null,
      skip_round_at: null,
      joined_at: nowIso(),
      left_at: null,
    })
    .execute();
}

const membership = (db: Db, groupId: string, personId: string) =>
  db
    .selectFrom('group_members')
    .selectAll()
    .where('group_id', '=', groupId)
    .where('person_id', '=', personId)
    .executeTakeFirstOrThrow();

const counts = (summary: ImportSummary) => ({
  created: summary.created,
  updated: summary.updated,
  unchanged: summary.unchanged,
  skipped: summary.skipped,
  disabled: summary.disabled,
});

const problemLines = (summary: ImportSummary) => summary.problems.map(formatProblem);

forEachEngine('staff directory import', (get, engine) => {
  const db = () => get().ctx.database.db;

  test('stores every field; flags as 0/1, booleans or text; optional fields may be missing', async () => {
    const summary = await importDirectory({
      db: db(),
      defaultTimezone: 'America/New_York',
      records: [
        record(1, 'Alice', {
          first_name: 'Alice',
          last_name: 'Archer',
          title: 'Staff Engineer',
          is_manager: false,
          email: ' Alice@Example.org ',
          team: 'Core',
          timezone: 'Europe/Paris',
        }),
        record('2', 'bob', { enabled: true, is_manager: 1 }),
        record(3, 'carol', { enabled: 'false', is_manager: 'TRUE', avatar: null, title: '' }),
        record(4, 'dan', { enabled: '0', is_manager: '1', first_name: '', last_name: null }),
      ],
    });
    assert.deepEqual(counts(summary), { created: 4, updated: 0, unchanged: 0, skipped: 0, disabled: 0 });
    assert.deepEqual(summary.problems, []);

    const alice = await personNamed(db(), 'alice');
    assert.ok(alice, 'usernames are stored lower-case');
    assert.equal(alice.name, 'Alice Archer');
    assert.equal(alice.first_name, 'Alice');
    assert.equal(alice.last_name, 'Archer');
    assert.equal(alice.title, 'Staff Engineer');
    assert.equal(alice.avatar_url, 'https://img.example.org/Alice.png');
    assert.equal(alice.email, 'alice@example.org');
    assert.equal(alice.team, 'Core');
    assert.equal(alice.timezone, 'Europe/Paris');
    assert.equal(alice.enabled, 1);
    assert.equal(alice.is_manager, 0);
    assert.equal(alice.role, 'member');
    assert.equal(alice.password_hash, null);
    assert.equal(await directoryIdOf(db(), alice.id), '1');
    const audit = await db()
      .selectFrom('audit_log')
      .select('data')
      .where('action', '=', 'directory.import')
      .executeTakeFirstOrThrow();
    assert.match(audit.data ?? '', /"created":4/);

    const bob = await personNamed(db(), 'bob');
    assert.equal(bob?.enabled, 1);
    assert.equal(bob?.is_manager, 1);
    assert.equal(bob?.email, null, 'no e-mail column: none stored');
    assert.equal(bob?.team, null);
    assert.equal(bob?.timezone, 'America/New_York', 'no timezone: the default');
    assert.equal(await directoryIdOf(db(), bob!.id), '2', 'a text id and a number id are the same id');

    const carol = await personNamed(db(), 'carol');
    assert.equal(carol?.enabled, 0);
    assert.equal(carol?.is_manager, 1);
    assert.equal(carol?.avatar_url, null);
    assert.equal(carol?.title, null, 'an empty title is stored as none');

    const dan = await personNamed(db(), 'dan');
    assert.equal(dan?.enabled, 0);
    assert.equal(dan?.is_manager, 1);
    assert.equal(dan?.name, 'dan', 'no names at all: the username stands in');
  });

  test('bad records are reported with their position and the field; the rest is imported', async () => {
    const summary = await importDirectory({
      db: db(),
      records: [
        record(10, 'good1'),
        { ...record(11, 'noid'), id: undefined },
        { ...record(12, 'x'), auth_username: '' },
        record(13, 'badflag', { enabled: 'yes' }),
        record(14, 'badmanager', { is_manager: 2 }),
        record(15, 'bademail', { email: 'not-an-address' }),
        record(16, 'badzone', { timezone: 'Mars/Olympus_Mons' }),
        record(17, 'badname', { first_name: 42 }),
        'not an object',
        record(19, 'badavatar', { avatar: 'javascript:alert(1)' }),
        record(20, 'has space'),
        { ...record(21, 'notitle'), title: undefined },
        record(22, 'good2'),
      ],
    });
    assert.equal(summary.created, 2);
    assert.equal(summary.skipped, 11);
    assert.equal(summary.records, 13);
    const lines = problemLines(summary);
    for (const expected of [
      '[1].id: is required',
      '[2].auth_username: is required',
      '[3].enabled: must be true or false (or 1 or 0), got "yes"',
      '[4].is_manager: must be true or false (or 1 or 0), got 2',
      '[5].email: must be an e-mail address such as ada@example.org',
      '[6].timezone: must be an IANA time zone such as Europe/Paris, got "Mars/Olympus_Mons"',
      '[7].first_name: must be text',
      '[8]: must be an object with id, auth_username, first_name, …',
      '[9].avatar: must be an http(s) address of an image',
      '[10].auth_username: must not contain spaces or @, got "has space"',
      '[11].title: is required (it may be empty)',
    ]) {
      assert.ok(lines.includes(expected), `expected "${expected}" in:\n${lines.join('\n')}`);
    }
    assert.ok(await personNamed(db(), 'good1'));
    assert.ok(await personNamed(db(), 'good2'));
    assert.equal(await personNamed(db(), 'badzone'), undefined, 'an invalid time zone skips the whole record');
  });

  test('duplicates within one feed: every record involved is skipped and the others named', async () => {
    const summary = await importDirectory({
      db: db(),
      records: [
        record(30, 'dup-a'),
        record(31, 'dup-b', { email: 'same@example.org' }),
        record(30, 'dup-c'),
        record(32, 'dup-b'),
        record(33, 'dup-d', { email: 'SAME@example.org' }),
        record(34, 'dup-ok'),
      ],
    });
    assert.deepEqual(counts(summary), { created: 1, updated: 0, unchanged: 0, skipped: 5, disabled: 0 });
    const lines = problemLines(summary);
    assert.ok(lines.includes('[0].id: "30" appears more than once in the feed (also at [2])'), lines.join('\n'));
    assert.ok(lines.includes('[2].id: "30" appears more than once in the feed (also at [0])'));
    assert.ok(lines.includes('[3].auth_username: "dup-b" appears more than once in the feed (also at [1])'));
    assert.ok(lines.includes('[4].email: "same@example.org" appears more than once in the feed (also at [1])'));
    assert.ok(await personNamed(db(), 'dup-ok'));
    assert.equal(await personNamed(db(), 'dup-a'), undefined);
  });

  test('a re-import updates every field, names too; the same feed again changes nothing', async () => {
    const first = record(40, 'erin', { email: 'erin@example.org', team: 'Ops', timezone: 'UTC', manager: null });
    await importDirectory({ db: db(), records: [first] });
    const before = await personNamed(db(), 'erin');
    assert.ok(before);

    const changed = record(40, 'Erin.K', {
      first_name: 'Erin',
      last_name: 'Kowalski',
      title: 'Engineering Manager',
      avatar: 'https://img.example.org/erin-2.png',
      enabled: 1,
      is_manager: true,
      email: 'erin.k@example.org',
      team: 'Platform',
      timezone: 'Asia/Kolkata',
    });
    const second = await importDirectory({ db: db(), records: [changed] });
    assert.deepEqual(counts(second), { created: 0, updated: 1, unchanged: 0, skipped: 0, disabled: 0 });
    const after = await personNamed(db(), 'erin.k');
    assert.ok(after);
    assert.equal(after.id, before.id, 'the same person, found by directory id');
    assert.deepEqual(
      {
        name: after.name,
        first: after.first_name,
        last: after.last_name,
        title: after.title,
        avatar: after.avatar_url,
        manager: after.is_manager,
        email: after.email,
        team: after.team,
        timezone: after.timezone,
      },
      {
        name: 'Erin Kowalski',
        first: 'Erin',
        last: 'Kowalski',
        title: 'Engineering Manager',
        avatar: 'https://img.example.org/erin-2.png',
        manager: 1,
        email: 'erin.k@example.org',
        team: 'Platform',
        timezone: 'Asia/Kolkata',
      },
    );

    const third = await importDirectory({ db: db(), records: [changed] });
    assert.deepEqual(counts(third), { created: 0, updated: 0, unchanged: 1, skipped: 0, disabled: 0 });
    assert.equal(
      (await personNamed(db(), 'erin.k'))?.updated_at,
      after.updated_at,
      'an unchanged person is not written',
    );

    // An optional column that is present but empty clears the value; an absent one leaves it.
    const cleared = await importDirectory({
      db: db(),
      records: [{ ...changed, team: '', email: undefined, timezone: undefined }],
    });
    assert.equal(cleared.updated, 1);
    const now = await personNamed(db(), 'erin.k');
    assert.equal(now?.team, null);
    assert.equal(now?.email, 'erin.k@example.org');
    assert.equal(now?.timezone, 'Asia/Kolkata');
  });

  test('a person who signed up before is linked by e-mail or username, not duplicated', async () => {
    assert.equal((await new Client(get().app).signUp('dora@example.org', 'Dora Signup')).status, 201);
    assert.equal((await new Client(get().app).signUp('eve@example.org', 'Eve Signup')).status, 201);
    assert.equal((await new Client(get().app).signUp('frank@example.org', 'Frank Signup')).status, 201);
    const dora = await personNamed(db(), 'dora');
    const eve = await personNamed(db(), 'eve');
    assert.ok(dora?.password_hash && eve);

    const summary = await importDirectory({
      db: db(),
      records: [
        record(50, 'dora.explorer', { email: 'DORA@example.org', first_name: 'Dora', last_name: 'Explorer' }),
        record(51, 'eve', { first_name: 'Eve', last_name: 'Adams' }),
        record(52, 'eve', { email: 'frank@example.org' }),
        record(53, 'admin'),
      ],
    });
    // 52 has the same username as 51 in this feed: both are duplicates. Import again without it.
    assert.equal(summary.skipped, 3);
    const again = await importDirectory({
      db: db(),
      records: [
        record(50, 'dora.explorer', { email: 'dora@example.org', first_name: 'Dora', last_name: 'Explorer' }),
        record(51, 'eve', { first_name: 'Eve', last_name: 'Adams' }),
        record(52, 'frank.other', { email: 'eve@example.org' }),
        record(53, 'admin'),
      ],
    });
    assert.deepEqual(counts(again), { created: 0, updated: 1, unchanged: 1, skipped: 2, disabled: 0 });
    const lines = problemLines(again);
    assert.ok(
      lines.includes('[2].email: "eve@example.org" already belongs to directory person 51'),
      `e-mail of someone else:\n${lines.join('\n')}`,
    );
    assert.ok(lines.some((line) => line.startsWith('[3].auth_username: "admin" is an administrator account')));

    const linkedDora = await personNamed(db(), 'dora.explorer');
    assert.equal(linkedDora?.id, dora.id, 'linked by e-mail: same person, now with the directory username');
    assert.equal(linkedDora?.name, 'Dora Explorer');
    assert.equal(linkedDora?.password_hash, dora.password_hash, 'the login is kept');
    assert.equal(await directoryIdOf(db(), dora.id), '50');
    const linkedEve = await personNamed(db(), 'eve');
    assert.equal(linkedEve?.id, eve.id, 'linked by username');
    assert.equal(linkedEve?.email, 'eve@example.org', 'no e-mail column: the sign-up address stays');
    const people = await db().selectFrom('people').select('id').where('email', '=', 'dora@example.org').execute();
    assert.equal(people.length, 1);

    // An e-mail already used by a different person (who signed up) is refused, naming the field.
    const clash = await importDirectory({
      db: db(),
      records: [record(50, 'dora.explorer', { email: 'frank@example.org', first_name: 'Dora', last_name: 'X' })],
    });
    assert.deepEqual(problemLines(clash), ['[0].email: "frank@example.org" is already used by another person (frank)']);
    assert.equal((await personNamed(db(), 'dora.explorer'))?.last_name, 'Explorer', 'the record is skipped whole');
  });

  test('managers are resolved after all records are in; unknown ones are left empty with a warning', async () => {
    const summary = await importDirectory({
      db: db(),
      records: [
        record(60, 'report', { manager: 'Boss' }),
        record(61, 'boss', { is_manager: 1 }),
        record(62, 'orphan', { manager: 'ghost' }),
        record(63, 'selfish', { manager: 'selfish' }),
      ],
    });
    assert.equal(summary.created, 4);
    const boss = await personNamed(db(), 'boss');
    assert.equal((await personNamed(db(), 'report'))?.manager_id, boss?.id);
    assert.equal((await personNamed(db(), 'orphan'))?.manager_id, null);
    assert.deepEqual(summary.warnings.map(formatProblem), [
      '[2].manager: "ghost" is not a known person; the manager is left empty',
      '[3].manager: is the person themself; left empty',
    ]);

    // A new manager is an update even when nothing else about the person changed.
    const moved = await importDirectory({
      db: db(),
      records: [record(60, 'report', { manager: 'orphan' }), record(61, 'boss', { is_manager: 1 })],
    });
    assert.deepEqual(counts(moved), { created: 0, updated: 1, unchanged: 1, skipped: 0, disabled: 0 });
    assert.equal((await personNamed(db(), 'report'))?.manager_id, (await personNamed(db(), 'orphan'))?.id);

    const clearedManager = await importDirectory({ db: db(), records: [record(60, 'report', { manager: '' })] });
    assert.equal(clearedManager.updated, 1);
    assert.equal((await personNamed(db(), 'report'))?.manager_id, null);
  });

  test('a person disabled by the feed leaves every group (history stays); cleanup catches the others', async () => {
    await importDirectory({ db: db(), records: [record(70, 'stays'), record(71, 'leaves')] });
    const stays = (await personNamed(db(), 'stays'))!;
    const leaves = (await personNamed(db(), 'leaves'))!;
    const coffee = await makeGroup(db(), `Coffee ${engine}`);
    const lunch = await makeGroup(db(), `Lunch ${engine}`);
    for (const group of [coffee, lunch]) {
      await join(db(), group, stays.id);
      await join(db(), group, leaves.id);
    }

    const summary = await importDirectory({
      db: db(),
      records: [record(70, 'stays'), record(71, 'leaves', { enabled: false })],
    });
    assert.deepEqual(counts(summary), { created: 0, updated: 1, unchanged: 1, skipped: 0, disabled: 1 });
    assert.equal(summary.membershipsEnded, 2);
    for (const group of [coffee, lunch]) {
      const left = await membership(db(), group, leaves.id);
      assert.equal(left.status, 'left', 'the row stays, marked as left');
      assert.ok(left.left_at);
      assert.equal((await membership(db(), group, stays.id)).status, 'active');
    }

    // Someone added back while disabled leaves again at the next import.
    await db()
      .updateTable('group_members')
      .set({ status: 'active', left_at: null })
      .where('person_id', '=', leaves.id)
      .where('group_id', '=', coffee)
      .execute();
    const rerun = await importDirectory({
      db: db(),
      records: [record(70, 'stays'), record(71, 'leaves', { enabled: false })],
    });
    assert.deepEqual(counts(rerun), { created: 0, updated: 0, unchanged: 2, skipped: 0, disabled: 0 });
    assert.equal(rerun.membershipsEnded, 1);

    // Disabled some other way (the admin console): `directory cleanup` ends their memberships.
    await db().updateTable('people').set({ enabled: 0 }).where('id', '=', stays.id).execute();
    const cleanup = await cleanupAlumni({ db: db() });
    assert.equal(cleanup.membershipsEnded, 2);
    assert.ok(cleanup.people >= 2);
    assert.equal((await membership(db(), lunch, stays.id)).status, 'left');
    assert.equal((await cleanupAlumni({ db: db() })).membershipsEnded, 0, 'nothing left to do the second time');
    // Both runs are recorded; they can share a timestamp, so compare the set, not the latest row.
    const audits = await db()
      .selectFrom('audit_log')
      .select('data')
      .where('action', '=', 'directory.cleanup')
      .execute();
    const ended = audits.map((row) => JSON.parse(row.data ?? '{}').membershipsEnded);
    assert.ok(ended.includes(2) && ended.includes(0), `cleanup runs recorded: ${ended.join(', ')}`);
  });

  test('CSV: quoted commas and quotes, a value on two lines, errors by line number', async () => {
    const summary = await importDirectory({ db: db(), source: fixture('staff.csv') });
    assert.deepEqual(counts(summary), { created: 4, updated: 0, unchanged: 0, skipped: 2, disabled: 0 });
    assert.deepEqual(problemLines(summary), [
      'line 7, enabled: must be true or false (or 1 or 0), got "yes"',
      'line 9: has 13 values but the header has 12; a value holding a comma must be wrapped in double quotes',
    ]);
    const hana = await personNamed(db(), 'hana');
    assert.equal(hana?.title, 'Director, Engineering');
    assert.equal(hana?.team, 'Platform, Core');
    assert.equal(hana?.timezone, 'Asia/Tokyo');
    assert.equal(hana?.is_manager, 1);
    const ivan = await personNamed(db(), 'ivan');
    assert.equal(ivan?.title, 'Engineer "II"');
    assert.equal(ivan?.manager_id, hana?.id);
    assert.equal(ivan?.timezone, 'UTC', 'an empty time zone cell: the default');
    const jo = await personNamed(db(), 'jo');
    assert.equal(jo?.last_name, 'Smith, Jr.');
    assert.equal(jo?.enabled, 0, '"FALSE"');
    assert.equal(jo?.email, null);
    assert.equal((await personNamed(db(), 'kim'))?.title, 'Writer\n(docs)');
    const again = await importDirectory({ db: db(), source: fixture('staff.csv'), format: 'csv' });
    assert.equal(again.unchanged, 4);
  });

  test('URL feeds: JSON or CSV by content type, a token never shown, a 404 or a timeout is a clear error', async () => {
    const csv =
      'id,auth_username,first_name,last_name,title,avatar,enabled,is_manager\n301,url-csv,Url,Csv,"A, B",,1,0\n';
    const server: Server = createServer((request, response) => {
      if (request.url === '/people?token=s3cret') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify([record(300, 'url-json')]));
      } else if (request.url === '/export') {
        response.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' });
        response.end(csv);
      } else if (request.url === '/slow') {
        // never answers
      } else {
        response.writeHead(404, { 'content-type': 'text/plain' });
        response.end('not here');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const json = await importDirectory({ db: db(), source: `${base}/people?token=s3cret` });
      assert.equal(json.created, 1);
      assert.deepEqual(json.sources, [`${base}/people?…`]);
      const fromCsv = await importDirectory({ db: db(), source: `${base}/export` });
      assert.equal(fromCsv.created, 1);
      assert.equal((await personNamed(db(), 'url-csv'))?.title, 'A, B');

      await assert.rejects(importDirectory({ db: db(), source: `${base}/missing.json` }), (error: Error) => {
        assert.ok(error instanceof FeedUnreadable);
        assert.match(error.message, /answered 404 Not Found\. Check the address/);
        return true;
      });
      await assert.rejects(
        importDirectory({ db: db(), source: `${base}/slow`, fetchTimeoutMs: 300 }),
        /did not answer within/,
      );
      const cli = await runCli(['directory', 'import', '--url', `${base}/gone?token=s3cret`], {
        DATABASE_URL: get().config.databaseUrl,
      });
      assert.equal(cli.code, 1, cli.output);
      assert.match(cli.output, /answered 404 Not Found/);
      assert.doesNotMatch(cli.output, /s3cret/, 'the token is not printed');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('a crash mid-way leaves whole records only, and a re-run completes', async () => {
    // A trigger makes the third batch fail inside its transaction, after its first person row is
    // written but before that person's directory id is: as a crash or a lost connection would.
    if (engine === 'sqlite') {
      await sql`CREATE TRIGGER directory_test_crash BEFORE INSERT ON external_ids
        WHEN NEW.external_id = 'crash-5' BEGIN SELECT RAISE(ABORT, 'simulated crash'); END`.execute(db());
    } else {
      await sql`CREATE FUNCTION directory_test_crash() RETURNS trigger AS $$
        BEGIN IF NEW.external_id = 'crash-5' THEN RAISE EXCEPTION 'simulated crash'; END IF; RETURN NEW; END
        $$ LANGUAGE plpgsql`.execute(db());
      await sql`CREATE TRIGGER directory_test_crash BEFORE INSERT ON external_ids
        FOR EACH ROW EXECUTE FUNCTION directory_test_crash()`.execute(db());
    }
    const records = [1, 2, 3, 4, 5, 6].map((n) => record(`crash-${n}`, `crash${n}`));
    await assert.rejects(importDirectory({ db: db(), records, batchSize: 2 }), /simulated crash/);

    const people = await db().selectFrom('people').select('username').where('username', 'like', 'crash%').execute();
    assert.deepEqual(people.map((p) => p.username).sort(), ['crash1', 'crash2', 'crash3', 'crash4']);
    const orphans = await db()
      .selectFrom('people')
      .leftJoin('external_ids', 'external_ids.person_id', 'people.id')
      .select('people.username')
      .where('people.username', 'like', 'crash%')
      .where('external_ids.person_id', 'is', null)
      .execute();
    assert.deepEqual(orphans, [], 'no person without their directory id');
    const failed = await db()
      .selectFrom('audit_log')
      .select('data')
      .where('action', '=', 'directory.import_failed')
      .execute();
    assert.equal(failed.length, 1);
    assert.match(failed[0]?.data ?? '', /"recordsCommitted":4/);

    if (engine === 'sqlite') await sql`DROP TRIGGER directory_test_crash`.execute(db());
    else {
      await sql`DROP TRIGGER directory_test_crash ON external_ids`.execute(db());
      await sql`DROP FUNCTION directory_test_crash()`.execute(db());
    }
    const progress: string[] = [];
    const rerun = await importDirectory({
      db: db(),
      records,
      batchSize: 2,
      onProgress: ({ done, total }) => progress.push(`${done}/${total}`),
    });
    assert.deepEqual(counts(rerun), { created: 2, updated: 0, unchanged: 4, skipped: 0, disabled: 0 });
    assert.deepEqual(progress, ['2/6', '4/6', '6/6']);
  });

  test('the CLI: summary, problems naming field and position, exit codes', async () => {
    const env = { DATABASE_URL: get().config.databaseUrl };
    const first = await runCli(['directory', 'import', '--file', fixture('staff.json')], env);
    assert.equal(first.code, 0, first.output);
    assert.match(first.output, /created 3, updated 0, unchanged 0, disabled 0, skipped 1/);
    assert.match(first.output, /\[2\]\.enabled: must be true or false \(or 1 or 0\), got "maybe"/);
    assert.match(first.output, /\[3\]\.manager: "nobody" is not a known person/);
    assert.doesNotMatch(first.output, /imported \d/, 'no progress output when stderr is not a terminal');
    assert.equal((await personNamed(db(), 'omar'))?.manager_id, (await personNamed(db(), 'nina'))?.id);

    const second = await runCli(['directory', 'import', '--file', fixture('staff.json'), '--format', 'json'], env);
    assert.equal(second.code, 0, second.output);
    assert.match(second.output, /created 0, updated 0, unchanged 3, disabled 0, skipped 1/);

    const missing = await runCli(['directory', 'import', '--file', fixture('nope.json')], env);
    assert.equal(missing.code, 1);
    assert.match(missing.output, /nope\.json does not exist\. Check the path/);

    const html = await runCli(['directory', 'import', '--file', fixture('not-a-feed.html')], env);
    assert.equal(html.code, 1);
    assert.match(html.output, /neither JSON nor CSV/);
    assert.match(html.output, /--format json\|csv/);

    const allBad = await runCli(['directory', 'import', '--file', fixture('all-bad.json')], env);
    assert.equal(allBad.code, 1, allBad.output);
    assert.match(allBad.output, /\[0\]\.auth_username: is required/);
    assert.match(allBad.output, /\[1\]\.id: is required/);
    assert.match(allBad.output, /Nothing was imported/);

    const noSource = await runCli(['directory', 'import'], env);
    assert.equal(noSource.code, 1);
    assert.match(noSource.output, /--file PATH or --url URL/);

    const cleanup = await runCli(['directory', 'cleanup'], env);
    assert.equal(cleanup.code, 0, cleanup.output);
    assert.match(cleanup.output, /Alumni clean-up: \d+ disabled people; group memberships ended: 0\./);
  });

  test('no sync job without feeds and a cron', () => {
    assert.equal(directorySyncJob(get().ctx), null);
  });
});

test('a CSV feed longer than one parsing turn keeps emoji, quoted line breaks and line numbers across the turns', async () => {
  const header = 'id,auth_username,first_name,last_name,title,avatar,enabled,is_manager';
  const lines = [header];
  const row = (n: number, first: string, title = 'Engineer', enabled = '1') =>
    `${n},user${n},${first},Person,${title},,${enabled},0`;
  for (let n = 1; lines.join('\n').length < 60_000; n++) lines.push(row(n, 'Ada'));
  // The parser takes 65,536 characters a turn: put an emoji's two halves on either side of the first cut.
  const before = `${lines.join('\n')}\n`;
  const stem = `9001,user9001,`;
  const pad = 'x'.repeat(65_535 - before.length - stem.length);
  lines.push(`${stem}${pad}\u{1F600},Person,Engineer,,1,0`);
  lines.push(row(9002, 'Bo', '"Writer\n(docs)"'));
  while (lines.join('\n').length < 140_000) lines.push(row(10_000 + lines.length, 'Cy'));
  lines.push(row(99_999, 'Di', 'Engineer', 'yes'));
  const text = lines.join('\n');
  assert.equal(text.charCodeAt(65_535), 0xd83d, 'the emoji straddles the first cut');
  const entries = await parseFeedText(text, 'csv');
  const byId = new Map(entries.map((entry) => [(entry.data as Record<string, string>).id, entry]));
  const field = (id: string, name: string) => (byId.get(id)?.data as Record<string, string> | undefined)?.[name];
  assert.equal(field('9001', 'first_name'), `${pad}\u{1F600}`);
  assert.equal(field('9002', 'title'), 'Writer\n(docs)');
  // Line numbers count the quoted line break in record 9002.
  assert.equal(byId.get('99999')?.position, `line ${lines.length + 1}`);
  assert.equal(entries.length, lines.length - 1);
});

test('a CSV feed with CRLF line ends keeps its line numbers when a CRLF straddles a parsing turn', async () => {
  const header = 'id,auth_username,first_name,last_name,title,avatar,enabled,is_manager';
  const lines = [header];
  for (let n = 1; lines.join('\r\n').length < 65_000; n++) lines.push(`${n},user${n},Ada,Person,Engineer,,1,0`);
  // Pad one record so that its \r is the last character of the first turn and its \n the first of the next.
  const before = lines.join('\r\n').length + 2;
  const stem = '8001,user8001,';
  lines.push(
    `${stem}${'x'.repeat(65_536 - 1 - before - stem.length - ',Person,Engineer,,1,0'.length)},Person,Engineer,,1,0`,
  );
  lines.push('8002,user8002,Bo,Person,Engineer,,1,0');
  const text = lines.join('\r\n');
  assert.equal(text.slice(65_535, 65_537), '\r\n', 'the CRLF straddles the first cut');
  const entries = await parseFeedText(text, 'csv');
  assert.equal(entries.length, lines.length - 1);
  const last = entries.at(-1);
  assert.equal(last?.position, `line ${lines.length}`, 'no blank line was counted between \\r and \\n');
  assert.equal((last?.data as Record<string, string> | undefined)?.auth_username, 'user8002');
});

test('a JSON feed longer than one parsing turn keeps every record and its index', async () => {
  const records = Array.from({ length: 8_000 }, (_, n) => ({
    id: n + 1,
    auth_username: `user${n + 1}`,
    first_name: n === 7_500 ? 'Zoë, "the [last] {one}" \u{1F600}' : 'Ada',
    last_name: 'Person',
  }));
  const text = JSON.stringify(records, null, 2);
  assert.ok(text.length > 3 * 256 * 1024, 'several turns');
  const entries = await parseFeedText(text, 'json');
  assert.equal(entries.length, 8_000);
  assert.equal(entries[7_500]?.position, '[7500]');
  assert.deepEqual(entries[7_500]?.data, records[7_500]);
  await assert.rejects(parseFeedText(`${text.slice(0, -2)}, }]`, 'json'), (error: Error) => {
    assert.ok(error instanceof FeedUnreadable);
    assert.match(error.message, /not valid JSON \(.*, in item \[8000\], which starts at character \d+\)/);
    return true;
  });
});

forEachEngine('staff directory prune', (get) => {
  const db = () => get().ctx.database.db;
  let group: string;

  before(async () => {
    await importDirectory({ db: db(), records: [record(1, 'ann'), record(2, 'ben'), record(3, 'cai')] });
    assert.equal((await new Client(get().app).signUp('solo@example.org', 'Solo Signup')).status, 201);
    group = await makeGroup(db(), 'Prune group');
    for (const username of ['cai', 'solo', 'admin']) await join(db(), group, (await personNamed(db(), username))!.id);
  });

  test('without prune, people missing from the feed are untouched', async () => {
    const summary = await importDirectory({ db: db(), records: [record(1, 'ann'), record(2, 'ben')] });
    assert.deepEqual(counts(summary), { created: 0, updated: 0, unchanged: 2, skipped: 0, disabled: 0 });
    assert.equal((await personNamed(db(), 'cai'))?.enabled, 1);
  });

  test('with prune, a record that is in the feed but invalid does not count as missing', async () => {
    const summary = await importDirectory({
      db: db(),
      prune: true,
      records: [record(1, 'ann'), record(2, 'ben'), record(3, 'cai', { enabled: 'perhaps' })],
    });
    assert.equal(summary.pruned, 0);
    assert.equal((await personNamed(db(), 'cai'))?.enabled, 1);
  });

  test('a prune with nothing importable disables nobody', async () => {
    const summary = await importDirectory({ db: db(), prune: true, records: [{ id: 9 }] });
    assert.equal(summary.pruned, 0);
    assert.match(summary.warnings.map(formatProblem).join('\n'), /nobody was pruned/);
    assert.equal((await personNamed(db(), 'ann'))?.enabled, 1);
  });

  test('with prune, missing directory people are disabled and leave their groups; never admins or sign-ups', async () => {
    const summary = await importDirectory({ db: db(), prune: true, records: [record(1, 'ann'), record(2, 'ben')] });
    assert.deepEqual(counts(summary), { created: 0, updated: 0, unchanged: 2, skipped: 0, disabled: 1 });
    assert.equal(summary.pruned, 1);
    assert.equal(summary.membershipsEnded, 1);
    assert.equal((await personNamed(db(), 'cai'))?.enabled, 0);
    const cai = (await personNamed(db(), 'cai'))!;
    assert.equal((await membership(db(), group, cai.id)).status, 'left');
    for (const username of ['solo', 'admin']) {
      const person = (await personNamed(db(), username))!;
      assert.equal(person.enabled, 1, `${username} is not from the directory`);
      assert.equal((await membership(db(), group, person.id)).status, 'active');
    }
    const again = await importDirectory({ db: db(), prune: true, records: [record(1, 'ann'), record(2, 'ben')] });
    assert.deepEqual(counts(again), { created: 0, updated: 0, unchanged: 2, skipped: 0, disabled: 0 });

    // Back in the feed: enabled again (but not back in their groups).
    const back = await importDirectory({ db: db(), records: [record(3, 'cai')] });
    assert.equal(back.updated, 1);
    assert.equal((await personNamed(db(), 'cai'))?.enabled, 1);
    assert.equal((await membership(db(), group, cai.id)).status, 'left');

    const cli = await runCli(['directory', 'import', '--file', fixture('staff.json'), '--prune'], {
      DATABASE_URL: get().config.databaseUrl,
    });
    assert.equal(cli.code, 0, cli.output);
    assert.match(cli.output, /3 of the disabled were missing from the feed \(--prune\)/);
  });
});

forEachEngine(
  'scheduled directory sync',
  (get) => {
    test('runs at each cron time, once, from the configured feeds', async () => {
      let clock = new Date('2030-01-01T01:00:00Z');
      const synced: ImportSummary[] = [];
      const job = directorySyncJob(get().ctx, { now: () => clock, onSynced: (summary) => synced.push(summary) });
      assert.ok(job);
      assert.equal(job.name, 'directory-sync');
      assert.equal(job.everyMs, 30_000);

      await job.run();
      assert.equal(synced.length, 0, 'not before 02:00');
      clock = new Date('2030-01-01T02:00:20Z');
      await job.run();
      assert.equal(synced.length, 1, 'at 02:00');
      assert.equal(synced[0]?.created, 4);
      await job.run();
      assert.equal(synced.length, 1, 'once per cron time');
      clock = new Date('2030-01-02T02:00:05Z');
      await job.run();
      assert.equal(synced.length, 2, 'the next day');
      assert.equal(synced[1]?.unchanged, 4);
      assert.ok((await personNamed(get().ctx.database.db, 'hana'))?.enabled);
    });

    test('an invalid cron stops start-up with the key named', () => {
      const ctx = get().ctx;
      const bad = { ...ctx, config: { ...ctx.config, directory: { ...ctx.config.directory, syncCron: 'every day' } } };
      assert.throws(
        () => directorySyncJob(bad),
        (error: Error) => {
          assert.ok(error instanceof ConfigError);
          assert.match(error.message, /directory\.syncCron/);
          return true;
        },
      );
    });
  },
  { 'directory.feeds': [fixture('staff.csv')], 'directory.syncCron': '0 2 * * *' },
);
