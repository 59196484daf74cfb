import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Mixer's assistant: someone who may manage this person's mixers and gets copies of their intros.
  await db.schema
    .alterTable('people')
    .addColumn('assistant_id', 'text', (c) => c.references('people.id').onDelete('set null'))
    .execute();

  await db.schema
    .createTable('groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    // Lower-cased name: group names are unique regardless of case on both engines.
    .addColumn('name_key', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('cron', 'text', (c) => c.notNull())
    .addColumn('timezone', 'text', (c) => c.notNull())
    .addColumn('every_weeks', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('anchor_date', 'text')
    .addColumn('size', 'integer', (c) => c.notNull().defaultTo(2))
    .addColumn('odd_policy', 'text', (c) => c.notNull().defaultTo('trio'))
    .addColumn('eligibility', 'text', (c) => c.notNull())
    .addColumn('membership', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('intro_template', 'text')
    .addColumn('archived', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_round_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('groups_next_round_idx').on('groups').column('next_round_at').execute();

  await db.schema
    .createTable('group_members')
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('paused_until', 'text')
    .addColumn('skip_round_at', 'text')
    .addColumn('joined_at', 'text', (c) => c.notNull())
    .addColumn('left_at', 'text')
    .addPrimaryKeyConstraint('group_members_pk', ['group_id', 'person_id'])
    .execute();
  await db.schema.createIndex('group_members_person_idx').on('group_members').column('person_id').execute();

  await db.schema
    .createTable('rounds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('scheduled_for', 'text', (c) => c.notNull())
    .addColumn('round_index', 'integer', (c) => c.notNull())
    .addColumn('seed', 'text', (c) => c.notNull())
    .addColumn('stats', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    // The scheduler's exactly-once guarantee: two processes cannot both make this round.
    .addUniqueConstraint('rounds_group_scheduled_unique', ['group_id', 'scheduled_for'])
    .execute();

  await db.schema
    .createTable('round_sitouts')
    .addColumn('round_id', 'text', (c) => c.notNull().references('rounds.id').onDelete('cascade'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('round_sitouts_pk', ['round_id', 'person_id'])
    .execute();

  await db.schema
    .createTable('meetings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text')
    .addColumn('group_id', 'text', (c) => c.references('groups.id').onDelete('set null'))
    .addColumn('round_id', 'text', (c) => c.references('rounds.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text')
    .addColumn('duration_minutes', 'integer')
    .addColumn('room_url', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('scheduled'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('meetings_source_external_unique', ['source', 'external_id'])
    .execute();
  await db.schema.createIndex('meetings_round_idx').on('meetings').column('round_id').execute();
  await db.schema.createIndex('meetings_group_idx').on('meetings').column('group_id').execute();

  await db.schema
    .createTable('meeting_participants')
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().defaultTo('participant'))
    .addPrimaryKeyConstraint('meeting_participants_pk', ['meeting_id', 'person_id'])
    .execute();
  await db.schema
    .createIndex('meeting_participants_person_idx')
    .on('meeting_participants')
    .column('person_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['meeting_participants', 'meetings', 'round_sitouts', 'rounds', 'group_members', 'groups']) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.alterTable('people').dropColumn('assistant_id').execute();
}
