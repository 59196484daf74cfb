import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Db } from '../src/db/database.js';
import { ensurePerson } from '../src/features/people/ensurePerson.js';
import {
  findPersonByEmail,
  findPersonByExternalId,
  findPersonByLogin,
  findPersonByUsername,
} from '../src/features/people/queries.js';
import { createPerson, linkExternalId, updatePerson } from '../src/features/people/service.js';
import { AppError } from '../src/lib/errors.js';
import { Client } from './helpers/server.js';
import { forEachEngine } from './helpers/suite.js';

/** Asserts that `promise` fails with a 409 naming `field`. */
async function rejectsAsTaken(promise: Promise<unknown>, field: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof AppError, String(error));
    assert.equal(error.status, 409);
    assert.equal(error.field, field);
    return true;
  });
}

async function countPeople(db: Db, where: { email?: string; name?: string }): Promise<number> {
  let query = db.selectFrom('people').select((eb) => eb.fn.countAll<string | number>().as('n'));
  if (where.email !== undefined) query = query.where('email', '=', where.email);
  if (where.name !== undefined) query = query.where('name', '=', where.name);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

/** Resolves once `parties` callers are waiting on it: they then go on together. */
function barrier(parties: number): () => Promise<void> {
  let waiting = 0;
  let release!: () => void;
  const all = new Promise<void>((resolve) => {
    release = resolve;
  });
  return () => {
    waiting++;
    if (waiting === parties) release();
    return all;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

forEachEngine('people: one service creates, finds and updates people', (get, engine) => {
  const db = () => get().ctx.database.db;

  test('an e-mail address differing only by case or spaces is the same address', async () => {
    const ada = await createPerson(db(), { email: '  Ada.Lovelace@Example.ORG ', name: 'Ada', timezone: 'UTC' });
    assert.equal(ada.email, 'ada.lovelace@example.org');
    assert.equal(ada.username, 'ada.lovelace');
    for (const spelling of ['ADA.LOVELACE@example.org', ' ada.lovelace@EXAMPLE.org\t']) {
      assert.equal((await findPersonByEmail(db(), spelling))?.id, ada.id, spelling);
      assert.equal((await findPersonByLogin(db(), spelling))?.id, ada.id, spelling);
      await rejectsAsTaken(createPerson(db(), { email: spelling, name: 'Ada again', timezone: 'UTC' }), 'email');
    }
    assert.equal(await countPeople(db(), { email: 'ada.lovelace@example.org' }), 1);

    // Through the API: a second sign-up with another spelling is told to sign in instead.
    const made = await new Client(get().app).signUp(' Bea@Example.org ', 'Bea');
    assert.equal(made.status, 201, JSON.stringify(made.body));
    assert.equal(made.body.person.email, 'bea@example.org');
    const again = await new Client(get().app).signUp('BEA@EXAMPLE.ORG', 'Bea');
    assert.equal(again.status, 409, JSON.stringify(again.body));
    assert.match(JSON.stringify(again.body), /email/);
  });

  test('the same person is reached by e-mail and by each source’s external id', async () => {
    const grace = await createPerson(db(), { email: 'grace@example.org', name: 'Grace Hopper', timezone: 'UTC' });

    const viaIntra = await ensurePerson(db(), {
      source: 'intra42',
      externalId: '4242',
      email: ' GRACE@example.org',
      name: 'Grace H.',
      timezone: 'Europe/Paris',
    });
    assert.equal(viaIntra.outcome, 'linked');
    assert.equal(viaIntra.person.id, grace.id);
    // Linking takes nothing from the source's record: the person stays as they were.
    assert.equal(viaIntra.person.name, 'Grace Hopper');

    // Known by the id from now on, even when the source has another address for them.
    const later = await ensurePerson(db(), {
      source: 'intra42',
      externalId: '4242',
      email: 'grace.hopper@newmail.example',
      name: 'Grace',
      timezone: 'UTC',
    });
    assert.deepEqual([later.outcome, later.person.id], ['found', grace.id]);
    assert.equal(await countPeople(db(), { email: 'grace.hopper@newmail.example' }), 0);

    const viaSlack = await ensurePerson(db(), {
      source: 'slack',
      externalId: 'U0GRACE',
      email: 'Grace@Example.org',
      name: 'grace',
      timezone: 'UTC',
    });
    assert.deepEqual([viaSlack.outcome, viaSlack.person.id], ['linked', grace.id]);
    assert.equal((await findPersonByExternalId(db(), 'slack', 'U0GRACE'))?.id, grace.id);
    assert.equal((await findPersonByExternalId(db(), 'intra42', '4242'))?.id, grace.id);
    assert.equal(await findPersonByExternalId(db(), 'mattermost', 'U0GRACE'), undefined);

    // Another intra42 person claiming Grace's address would merge two of its people: refused.
    await rejectsAsTaken(
      ensurePerson(db(), {
        source: 'intra42',
        externalId: '9999',
        email: 'grace@example.org',
        name: 'X',
        timezone: 'UTC',
      }),
      'email',
    );
    assert.equal(await findPersonByExternalId(db(), 'intra42', '9999'), undefined);
    assert.equal(await linkExternalId(db(), { personId: grace.id, source: 'slack', externalId: 'U0GRACE' }), true);
    const other = await createPerson(db(), { name: 'Other', timezone: 'UTC' });
    assert.equal(await linkExternalId(db(), { personId: other.id, source: 'slack', externalId: 'U0GRACE' }), false);
  });

  test('a username identifies someone after the e-mail, never an administrator, and a new person keeps it', async () => {
    const linus = await createPerson(db(), { username: 'Linus', name: 'Linus', timezone: 'UTC' });
    assert.equal(linus.username, 'linus');
    const found = await ensurePerson(db(), {
      source: 'intra42',
      externalId: '77',
      username: ' LINUS ',
      name: 'Linus T.',
      timezone: 'UTC',
    });
    assert.deepEqual([found.outcome, found.person.id], ['linked', linus.id]);

    await rejectsAsTaken(
      ensurePerson(db(), { source: 'intra42', externalId: '78', username: 'admin', name: 'Admin?', timezone: 'UTC' }),
      'username',
    );
    const admin = await findPersonByUsername(db(), 'admin');
    assert.equal(admin?.role, 'admin');
    assert.equal(await findPersonByExternalId(db(), 'intra42', '78'), undefined);

    const newcomer = await ensurePerson(db(), {
      source: 'intra42',
      externalId: '79',
      username: 'mhamilton',
      email: 'margaret@example.org',
      name: 'Margaret Hamilton',
      timezone: 'UTC',
      verified: 1,
    });
    assert.equal(newcomer.outcome, 'created');
    assert.equal(newcomer.person.username, 'mhamilton');
    assert.equal(newcomer.person.email, 'margaret@example.org');
    assert.equal((await findPersonByExternalId(db(), 'intra42', '79'))?.id, newcomer.person.id);
  });

  test('usernames made from an e-mail or a name take the free variant; a given one that is taken is a 409', async () => {
    const made = [];
    for (const email of ['sam@one.example', 'SAM@two.example', 'sam@three.example']) {
      made.push((await createPerson(db(), { email, name: 'Sam', timezone: 'UTC' })).username);
    }
    assert.deepEqual(made, ['sam', 'sam2', 'sam3']);
    const zoes = [];
    for (let i = 0; i < 2; i++) {
      zoes.push(
        (await createPerson(db(), { name: 'Zoë Müller', first_name: 'Zoë', last_name: 'Müller', timezone: 'UTC' }))
          .username,
      );
    }
    assert.deepEqual(zoes, ['zoe.muller', 'zoe.muller2']);

    await rejectsAsTaken(createPerson(db(), { username: 'SAM', name: 'Sam', timezone: 'UTC' }), 'username');
    const sam2 = await findPersonByUsername(db(), 'sam2');
    assert.ok(sam2);
    await rejectsAsTaken(updatePerson(db(), sam2.id, { username: 'Sam3' }), 'username');
    await rejectsAsTaken(updatePerson(db(), sam2.id, { email: ' Sam@One.example' }), 'email');
    assert.equal(await updatePerson(db(), sam2.id, { email: ' Sam.Two@Two.example ', username: 'SamTwo' }), true);
    const renamed = await findPersonByUsername(db(), 'samtwo');
    assert.equal(renamed?.email, 'sam.two@two.example');
  });

  test(`concurrent ensurePerson of one identity makes one person${engine === 'postgres' ? ' (truly concurrent transactions)' : ''}`, async () => {
    const CALLERS = 6;
    for (const withEmail of [true, false]) {
      const identity = {
        source: 'intra42',
        externalId: withEmail ? 'race-1' : 'race-2',
        ...(withEmail && { email: 'Racer@Example.org' }),
        name: withEmail ? 'Racer One' : 'Racer Two',
        timezone: 'UTC',
      };
      const before = await countPeople(db(), {});
      let outcomes: string[];
      if (engine === 'postgres') {
        // Every caller opens its transaction and waits for the others, then all look, miss and
        // insert at once; each holds its transaction open a moment so the others meet its rows
        // uncommitted.
        const ready = barrier(CALLERS);
        outcomes = await Promise.all(
          Array.from({ length: CALLERS }, () =>
            db()
              .transaction()
              .execute(async (trx) => {
                await trx.selectFrom('people').select('id').limit(1).execute();
                await ready();
                const { outcome } = await ensurePerson(trx, identity);
                await sleep(30);
                return outcome;
              }),
          ),
        );
      } else {
        // One SQLite connection serialises transactions: the calls queue, each sees the last.
        outcomes = await Promise.all(
          Array.from({ length: CALLERS }, () =>
            db()
              .transaction()
              .execute(async (trx) => (await ensurePerson(trx, identity)).outcome),
          ),
        );
      }
      assert.deepEqual(
        outcomes.sort(),
        ['created', ...Array(CALLERS - 1).fill('found')].sort(),
        `with e-mail: ${withEmail}`,
      );
      assert.equal(await countPeople(db(), {}), before + 1, `with e-mail: ${withEmail}`);
      assert.equal(await countPeople(db(), { name: identity.name }), 1);
    }
  });

  test('concurrent newcomers whose usernames would collide each get their own', async () => {
    const CALLERS = 5;
    const ready = barrier(CALLERS);
    const people = await Promise.all(
      Array.from({ length: CALLERS }, (_, i) =>
        db()
          .transaction()
          .execute(async (trx) => {
            if (engine === 'postgres') await ready();
            const { person } = await ensurePerson(trx, {
              source: 'slack',
              externalId: `UCOLLIDE${i}`,
              email: `kim@team${i}.example`,
              name: `Kim ${i}`,
              timezone: 'UTC',
            });
            if (engine === 'postgres') await sleep(20);
            return person;
          }),
      ),
    );
    assert.equal(new Set(people.map((p) => p.id)).size, CALLERS);
    assert.deepEqual(people.map((p) => p.username).sort(), ['kim', 'kim2', 'kim3', 'kim4', 'kim5']);
  });
});
