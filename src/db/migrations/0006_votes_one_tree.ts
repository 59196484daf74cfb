import { type Kysely, SqliteAdapter, sql } from 'kysely';

/**
 * Votes in one B-tree. Each vote wrote a page of the table, of its primary key and of the
 * (person, event) index; random people make those pages different for nearly every vote, so a
 * commit of a crowd's votes wrote about 2.4 pages per vote. Now:
 * - no (person, event) index: a person's votes in an event are found through the event's
 *   proposals, each one probe of the primary key (proposal, person);
 * - on SQLite the table is WITHOUT ROWID: the primary key is the table.
 * Measured on 58-vote batches (bench/http's vote scenario, in-process): 55 → 40 µs per vote, and
 * the database file at half the size. People are never deleted (only disabled), so nothing needs
 * the person-first index that a cascade from people would have used.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('votes_person_event_idx').execute();
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;

  // SQLite cannot change a table's storage: copy into a new one, inside the migration's transaction.
  await db.schema
    .createTable('votes_next')
    .addColumn('proposal_id', 'text', (c) => c.notNull().references('proposals.id').onDelete('cascade'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('votes_pk', ['proposal_id', 'person_id'])
    .modifyEnd(sql`without rowid`)
    .execute();
  await sql`insert into votes_next (proposal_id, person_id, event_id, created_at)
    select proposal_id, person_id, event_id, created_at from votes`.execute(db);
  await db.schema.dropTable('votes').execute();
  await db.schema.alterTable('votes_next').renameTo('votes').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // The storage stays as it is (both kinds of table answer the same queries); the index returns.
  await db.schema.createIndex('votes_person_event_idx').on('votes').columns(['person_id', 'event_id']).execute();
}
