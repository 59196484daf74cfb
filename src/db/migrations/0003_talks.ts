import type { Kysely } from 'kysely';

/** Talks: events with phases, proposals (unique titles per event, any case) and votes. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('description_html', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('phase', 'text', (c) => c.notNull().defaultTo('proposals'))
    .addColumn('proposals_during_voting', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('top_n', 'integer', (c) => c.notNull().defaultTo(5))
    .addColumn('vote_limit', 'integer')
    // Timed phase switches: proposals → voting at voting_opens_at, → closed at voting_closes_at.
    .addColumn('voting_opens_at', 'text')
    .addColumn('voting_closes_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('events_kind_idx').on('events').columns(['kind', 'created_at']).execute();

  await db.schema
    .createTable('proposals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('speaker_id', 'text', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('created_by', 'text', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('title', 'text', (c) => c.notNull())
    // Lower-cased, whitespace-collapsed title: the unique key that makes titles unique in any case
    // on both engines (no collations or expression indexes needed).
    .addColumn('title_key', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    // Rendered and sanitised once, when written; pages never render Markdown per request.
    .addColumn('description_html', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('hidden', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('hidden_reason', 'text')
    .addColumn('hidden_by', 'text', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('hidden_at', 'text')
    // Kept equal to the number of vote rows: changed in the same transaction as the vote.
    .addColumn('vote_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('proposals_event_title_unique', ['event_id', 'title_key'])
    .execute();
  await db.schema.createIndex('proposals_speaker_idx').on('proposals').column('speaker_id').execute();

  await db.schema
    .createTable('votes')
    .addColumn('proposal_id', 'text', (c) => c.notNull().references('proposals.id').onDelete('cascade'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    // One vote per person and proposal, whatever the concurrency.
    .addPrimaryKeyConstraint('votes_pk', ['proposal_id', 'person_id'])
    .execute();
  // One index for a person's votes in an event (the limit, "my votes") and for deleting a person.
  // Few indexes on purpose: every one is another page written by each vote.
  await db.schema.createIndex('votes_person_event_idx').on('votes').columns(['person_id', 'event_id']).execute();

  // A person's ballot in an event: the row a vote change locks first when the event limits votes,
  // so one person's votes in one event are counted and changed one at a time (no race past the limit).
  await db.schema
    .createTable('ballots')
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('ballots_pk', ['event_id', 'person_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['ballots', 'votes', 'proposals', 'events']) {
    await db.schema.dropTable(table).execute();
  }
}
