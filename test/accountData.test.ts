import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { managerPattern } from '../src/features/mixers/eligibility.js';
import { runRound } from '../src/features/mixers/rounds.js';
import { deliverOutbox, startForFile, testOutboxOptions } from './helpers/outbox.js';
import { clientFor, insertPerson } from './helpers/people.js';
import { adminClient, Client } from './helpers/server.js';
import { TestSmtp } from './helpers/smtp.js';
import { forEachEngine } from './helpers/suite.js';

const smtp = await startForFile(new TestSmtp());
const options = testOutboxOptions({ batchSize: 25 });

const count = async (query: { executeTakeFirstOrThrow(): Promise<{ n: string | number }> }) =>
  Number((await query.executeTakeFirstOrThrow()).n);

forEachEngine(
  'export my data and delete my account',
  (get, engine) => {
    const db = () => get().ctx.database.db;
    const app = () => get().app;
    let admin: Client;
    let round = 0;

    /** Zed takes part in everything: a mixer round (messages sent), talks, an unconference. */
    async function busyMember() {
      admin ??= await adminClient(app());
      const n = ++round;
      const zedName = `Zed Zimmerman ${n}`;
      const zed = await insertPerson(db(), {
        username: `${engine}-zed${n}`,
        name: zedName,
        team: 'Ops',
        title: 'Chef',
      });
      const ann = await insertPerson(db(), { username: `${engine}-ann${n}`, name: `Ann Other ${n}`, team: 'Sales' });
      const zedClient = await clientFor(app(), db(), zed);
      const annClient = await clientFor(app(), db(), ann);
      const group = await admin.post('/api/v1/mixers/groups', {
        name: `Coffee ${n}`,
        cron: '0 10 * * MON',
        timezone: 'UTC',
      });
      assert.equal(group.status, 201, JSON.stringify(group.body));
      const groupId = group.body.group.id as string;
      for (const client of [zedClient, annClient]) {
        assert.equal((await client.post(`/api/v1/mixers/groups/${groupId}/join`)).status, 200);
      }
      await runRound({ db: db(), groupId, scheduledFor: new Date(), titlePattern: managerPattern('Manager') });
      await deliverOutbox(get, engine, { options });
      assert.ok(
        smtp.mails.some((mail) => JSON.stringify(mail.to).includes(`${engine}-zed${n}@`)),
        'Zed was e-mailed an intro',
      );

      const talks = await admin.post('/api/v1/talks/events', { name: `Talks ${n}` });
      const talkEvent = talks.body.event.id as string;
      const zedTalk = (await zedClient.post(`/api/v1/talks/events/${talkEvent}/proposals`, { title: 'Zed on soup' }))
        .body.proposal.id as string;
      const annTalk = (await annClient.post(`/api/v1/talks/events/${talkEvent}/proposals`, { title: 'Ann on bread' }))
        .body.proposal.id as string;
      assert.equal((await admin.post(`/api/v1/talks/events/${talkEvent}/phase`, { phase: 'voting' })).status, 200);
      assert.equal((await zedClient.post(`/api/v1/talks/proposals/${annTalk}/vote`, { voted: true })).status, 200);
      assert.equal((await annClient.post(`/api/v1/talks/proposals/${zedTalk}/vote`, { voted: true })).status, 200);

      const unconf = await admin.post('/api/v1/unconference/events', { name: `Unconf ${n}`, timezone: 'UTC' });
      assert.equal(unconf.status, 201, JSON.stringify(unconf.body));
      const unconfEvent = unconf.body.event.id as string;
      const annSession = await annClient.post(`/api/v1/unconference/events/${unconfEvent}/proposals`, {
        title: 'Ann hosts a session',
      });
      assert.equal(annSession.status, 201, JSON.stringify(annSession.body));
      const zedSession = await zedClient.post(`/api/v1/unconference/events/${unconfEvent}/proposals`, {
        title: 'Zed hosts a session',
      });
      assert.equal(zedSession.status, 201, JSON.stringify(zedSession.body));
      const interest = await zedClient.put(`/api/v1/unconference/proposals/${annSession.body.proposal.id}/interest`, {
        level: 100,
      });
      assert.equal(interest.status, 200, JSON.stringify(interest.body));
      return { n, zed, ann, zedClient, annClient, groupId, annTalk, zedTalk };
    }

    test('a member downloads everything held about them; an admin can for anyone; both audited', async () => {
      const { n, zed, zedClient } = await busyMember();
      const mine = await zedClient.get('/api/v1/me/export');
      assert.equal(mine.status, 200, JSON.stringify(mine.body));
      assert.match(
        String(mine.headers['content-disposition']),
        /attachment; filename="convene-data-.*-zed\d+-\d{4}-\d\d-\d\d\.json"/,
      );
      const data = mine.body;
      assert.equal(data.person.name, `Zed Zimmerman ${n}`);
      assert.equal(data.person.email, `${engine}-zed${n}@example.org`);
      assert.equal(data.person.team, 'Ops');
      assert.equal(data.groups.length, 1);
      assert.equal(data.groups[0].group, `Coffee ${n}`);
      assert.equal(data.meetings.length, 1);
      assert.deepEqual(data.meetings[0].with, [`Ann Other ${n}`]);
      assert.deepEqual(
        data.talks.proposals.map((p: { title: string; votes: number }) => [p.title, p.votes]),
        [['Zed on soup', 1]],
      );
      assert.deepEqual(
        data.talks.votes.map((v: { proposal: string }) => v.proposal),
        ['Ann on bread'],
      );
      assert.deepEqual(
        data.unconference.proposals.map((p: { title: string }) => p.title),
        ['Zed hosts a session'],
      );
      assert.deepEqual(
        data.unconference.interest.map((i: { proposal: string; level: number }) => [i.proposal, i.level]),
        [['Ann hosts a session', 100]],
      );
      assert.ok(Array.isArray(data.notificationSettings));
      const text = JSON.stringify(data);
      assert.doesNotMatch(text, /password_hash|scrypt|token_hash/, 'no secrets in an export');

      const byAdmin = await admin.get(`/api/v1/admin/people/${zed}/export`);
      assert.equal(byAdmin.status, 200);
      assert.equal(byAdmin.body.person.username, `${engine}-zed${n}`);
      assert.equal((await zedClient.get(`/api/v1/admin/people/${zed}/export`)).status, 403);
      assert.equal((await admin.get('/api/v1/admin/people/nobody/export')).status, 404);
      const audits = await db()
        .selectFrom('audit_log')
        .select(['actor_id', 'data'])
        .where('action', '=', 'person.export_data')
        .where('subject_id', '=', zed)
        .orderBy('at')
        .execute();
      assert.equal(audits.length, 2);
      assert.equal(audits[0]?.actor_id, zed);
      assert.notEqual(audits[1]?.actor_id, zed);
      const second = await zedClient.get('/api/v1/me/export');
      assert.ok(
        second.body.audit.some(
          (e: { action: string; aboutMe: boolean }) => e.action === 'person.export_data' && e.aboutMe,
        ),
        'the audit entries about me are in my export',
      );
    });

    test('deleting my account keeps every count and removes who I was, messages included', async () => {
      const { n, zed, ann, zedClient, annTalk, zedTalk, groupId } = await busyMember();
      const before = await snapshotCounts(zed, ann, annTalk, zedTalk);
      const zedRow = await db().selectFrom('people').selectAll().where('id', '=', zed).executeTakeFirstOrThrow();
      const mentions = await messagesMentioning(zedRow.name, zedRow.email ?? '');
      assert.ok(mentions > 0, 'before: the outbox holds Zed’s name and address (the message log shows them)');

      const wrong = await zedClient.post('/api/v1/me/delete-account', { confirm: 'yes please' });
      assert.equal(wrong.status, 400);
      assert.equal(wrong.body.error.field, 'confirm');
      assert.match(wrong.body.error.message, new RegExp(`${engine}-zed${n}`));
      assert.equal((await zedClient.get('/api/v1/me')).body.person.name, zedRow.name, 'a refusal changes nothing');

      const deleted = await zedClient.post('/api/v1/me/delete-account', {
        confirm: ` ${engine.toUpperCase()}-ZED${n} `,
      });
      assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
      assert.match(deleted.body.username, /^deleted-[0-9a-f]{12}$/);
      assert.equal((await zedClient.get('/api/v1/me')).status, 401, 'signed out everywhere');

      const row = await db().selectFrom('people').selectAll().where('id', '=', zed).executeTakeFirstOrThrow();
      assert.equal(row.name, 'Deleted person');
      assert.equal(row.email, null);
      assert.equal(row.team, null);
      assert.equal(row.title, null);
      assert.equal(row.avatar_url, null);
      assert.equal(row.password_hash, null);
      assert.equal(row.enabled, 0);
      assert.ok(row.deleted_at);
      assert.equal(row.username, deleted.body.username);
      assert.deepEqual(await snapshotCounts(zed, ann, annTalk, zedTalk), before, 'every count is what it was');
      assert.equal(
        await messagesMentioning(zedRow.name, zedRow.email ?? ''),
        0,
        'no message keeps the name or address',
      );
      const membership = await db()
        .selectFrom('group_members')
        .select(['status', 'left_by'])
        .where('group_id', '=', groupId)
        .where('person_id', '=', zed)
        .executeTakeFirstOrThrow();
      assert.deepEqual(membership, { status: 'left', left_by: 'self' });
      const meeting = await db()
        .selectFrom('meetings')
        .innerJoin('meeting_participants', 'meeting_participants.meeting_id', 'meetings.id')
        .select('meetings.title')
        .where('meeting_participants.person_id', '=', ann)
        .executeTakeFirstOrThrow();
      assert.doesNotMatch(meeting.title, /Zed/);
      assert.doesNotMatch(
        JSON.stringify(await db().selectFrom('people').selectAll().where('id', '=', zed).execute()),
        /Zed|Zimmerman|Ops|Chef/,
      );
      assert.match(meeting.title, /Deleted person/);
      const sessions = await count(
        db()
          .selectFrom('auth_sessions')
          .select((eb) => eb.fn.countAll<string | number>().as('n'))
          .where('person_id', '=', zed),
      );
      assert.equal(sessions, 0);
      const signIn = await zedClient.signIn(`${engine}-zed${n}@example.org`, 'anything at all 1');
      assert.equal(signIn.status, 401);
      const audit = await db()
        .selectFrom('audit_log')
        .select(['actor_id', 'data'])
        .where('action', '=', 'person.delete_account')
        .where('subject_id', '=', zed)
        .executeTakeFirstOrThrow();
      assert.equal(audit.actor_id, zed);
      assert.equal(JSON.parse(audit.data ?? '{}').by, 'self');
      // Ann's view of the talk she voted for shows no name.
      const annClient = await clientFor(app(), db(), ann);
      const talk = await annClient.get(`/api/v1/talks/proposals/${zedTalk}`);
      assert.equal(talk.status, 200);
      assert.doesNotMatch(JSON.stringify(talk.body), /Zimmerman/);
    });

    test('an admin deletes a person, never the last admin; members cannot; it is audited', async () => {
      admin ??= await adminClient(app());
      const { n, ann, annClient, annTalk } = await busyMember();
      const votesBefore = (
        await db().selectFrom('proposals').select('vote_count').where('id', '=', annTalk).executeTakeFirstOrThrow()
      ).vote_count;
      assert.equal(
        (await annClient.post(`/api/v1/admin/people/${ann}/delete-account`, { confirm: `${engine}-ann${n}` })).status,
        403,
      );
      const adminRow = await db()
        .selectFrom('people')
        .select(['id', 'username'])
        .where('username', '=', 'admin')
        .executeTakeFirstOrThrow();
      const last = await admin.post(`/api/v1/admin/people/${adminRow.id}/delete-account`, { confirm: 'admin' });
      assert.equal(last.status, 409);
      assert.match(last.body.error.message, /last administrator/);
      assert.equal((await admin.get('/api/v1/me')).status, 200, 'the last admin is still there');
      assert.equal((await admin.post('/api/v1/admin/people/nobody/delete-account', { confirm: 'x' })).status, 404);
      const done = await admin.post(`/api/v1/admin/people/${ann}/delete-account`, { confirm: `${engine}-ann${n}` });
      assert.equal(done.status, 200, JSON.stringify(done.body));
      assert.equal((await annClient.get('/api/v1/me')).status, 401);
      assert.equal(
        (await db().selectFrom('proposals').select('vote_count').where('id', '=', annTalk).executeTakeFirstOrThrow())
          .vote_count,
        votesBefore,
      );
      const again = await admin.post(`/api/v1/admin/people/${ann}/delete-account`, { confirm: done.body.username });
      assert.equal(again.status, 409, 'already deleted');
      const revive = await admin.post(`/api/v1/admin/people/${ann}/enable`);
      assert.equal(revive.status, 409, 'a deleted account cannot be enabled again');
      assert.match(revive.body.error.message, /deleted/);
      const audit = await db()
        .selectFrom('audit_log')
        .select(['actor_id', 'data'])
        .where('action', '=', 'person.delete_account')
        .where('subject_id', '=', ann)
        .executeTakeFirstOrThrow();
      assert.equal(audit.actor_id, adminRow.id);
      assert.equal(JSON.parse(audit.data ?? '{}').by, 'admin');
    });

    async function snapshotCounts(zed: string, ann: string, annTalk: string, zedTalk: string) {
      const n = (
        table:
          | 'votes'
          | 'meeting_participants'
          | 'unconf_interests'
          | 'unconf_owners'
          | 'notifications'
          | 'meeting_feedback',
        column: 'person_id',
      ) =>
        count(
          db()
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<string | number>().as('n'))
            .where(column, 'in', [zed, ann]),
        );
      const votes = await db()
        .selectFrom('proposals')
        .select(['id', 'vote_count'])
        .where('id', 'in', [annTalk, zedTalk])
        .orderBy('id')
        .execute();
      const meetings = await count(
        db()
          .selectFrom('meetings')
          .innerJoin('meeting_participants', 'meeting_participants.meeting_id', 'meetings.id')
          .select((eb) => eb.fn.count<string | number>('meetings.id').distinct().as('n'))
          .where('meeting_participants.person_id', '=', zed),
      );
      return {
        votes,
        voteRows: await n('votes', 'person_id'),
        participants: await n('meeting_participants', 'person_id'),
        meetings,
        interest: await n('unconf_interests', 'person_id'),
        owners: await n('unconf_owners', 'person_id'),
        messages: await count(
          db()
            .selectFrom('notifications')
            .select((eb) => eb.fn.countAll<string | number>().as('n')),
        ),
      };
    }

    async function messagesMentioning(name: string, email: string): Promise<number> {
      const rows = await db().selectFrom('notifications').select(['payload', 'result', 'last_error']).execute();
      return rows.filter((row) =>
        [row.payload, row.result ?? '', row.last_error ?? ''].some(
          (text) => text.includes(name) || text.includes(email),
        ),
      ).length;
    }

    test('a photo upload is resized and shown; bad files get a clear 4xx; removing it', async () => {
      const id = await insertPerson(db(), { username: `${engine}-pic` });
      const client = await clientFor(app(), db(), id);
      const png = await sharp({ create: { width: 900, height: 600, channels: 3, background: '#3a7' } })
        .png()
        .toBuffer();
      const upload = (bytes: Buffer | string, type: string) =>
        client.request('PUT', '/api/v1/me/photo', bytes, { headers: { 'content-type': type } });
      const ok = await upload(png, 'image/png');
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.match(ok.body.avatarUrl, new RegExp(`^/api/v1/people/${id}/photo\\?v=`));
      assert.equal((await client.get('/api/v1/me')).body.person.avatarUrl, ok.body.avatarUrl);
      const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const served = await app().inject({ method: 'GET', url: ok.body.avatarUrl, headers: { cookie } });
      assert.equal(served.statusCode, 200);
      assert.equal(served.headers['content-type'], 'image/webp');
      const stored = await sharp(served.rawPayload).metadata();
      assert.equal(stored.width, 256);
      assert.equal(stored.height, 256);
      assert.equal(stored.format, 'webp');
      assert.equal((await new Client(app()).get(ok.body.avatarUrl)).status, 401, 'photos are for signed-in people');

      const jpeg = await sharp({ create: { width: 40, height: 40, channels: 3, background: '#123' } })
        .jpeg()
        .toBuffer();
      assert.equal((await upload(jpeg, 'image/jpeg')).status, 200, 'JPEG is taken');
      const gif = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#123' } })
        .gif()
        .toBuffer();
      const disguised = await upload(gif, 'image/png');
      assert.equal(disguised.status, 400);
      assert.equal(disguised.body.error.field, 'photo');
      assert.match(disguised.body.error.message, /PNG, JPEG or WebP/);
      const garbage = await upload(Buffer.from('not an image at all'), 'image/jpeg');
      assert.equal(garbage.status, 400);
      assert.equal(garbage.body.error.field, 'photo');
      assert.equal((await upload(gif, 'image/gif')).status, 415);
      assert.equal((await upload(Buffer.alloc(9 * 1024 * 1024, 1), 'image/png')).status, 413);
      const afterBad = await client.get('/api/v1/me');
      assert.notEqual(afterBad.body.person.avatarUrl, ok.body.avatarUrl, 'the JPEG replaced it');
      assert.match(afterBad.body.person.avatarUrl, /photo\?v=/, 'refused uploads left the photo as it was');

      const removed = await client.request('DELETE', '/api/v1/me/photo');
      assert.equal(removed.status, 204);
      assert.equal((await client.get('/api/v1/me')).body.person.avatarUrl, null);
      assert.equal((await client.get(`/api/v1/people/${id}/photo`)).status, 404);
      const audited = await db()
        .selectFrom('audit_log')
        .select('action')
        .where('subject_id', '=', id)
        .where('action', 'like', 'person.photo%')
        .execute();
      assert.deepEqual(audited.map((a) => a.action).sort(), [
        'person.photo_removed',
        'person.photo_set',
        'person.photo_set',
      ]);
    });

    test('the timezone prompt is answered once: choosing or keeping a zone confirms it', async () => {
      const id = await insertPerson(db(), { username: `${engine}-tz` });
      const client = await clientFor(app(), db(), id);
      assert.equal((await client.get('/api/v1/me')).body.person.timezoneConfirmed, false);
      const kept = await client.patch('/api/v1/me', { timezone: 'UTC' });
      assert.equal(kept.body.person.timezoneConfirmed, true, '"keep UTC" is an answer too');
      assert.equal((await client.get('/api/v1/me')).body.person.timezoneConfirmed, true);
    });
  },
  {
    publicUrl: 'https://convene.example.org',
    'notifications.email.smtpUrl': smtp.url,
    'notifications.email.from': 'Convene <convene@example.org>',
  },
);
