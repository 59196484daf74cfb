import type { Kysely } from 'kysely';

/**
 * Meeting messages beyond the intro: reminder lead times, follow-ups and their answers, per-group
 * templates, and a chat channel a group's members are synced from.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('groups')
    .addColumn('reminder_minutes', 'integer', (c) => c.notNull().defaultTo(15))
    .execute();
  // Days after the meeting is made that "Did you meet?" is asked; null: never asked.
  await db.schema.alterTable('groups').addColumn('follow_up_days', 'integer').execute();
  await db.schema.alterTable('groups').addColumn('reminder_template', 'text').execute();
  await db.schema.alterTable('groups').addColumn('follow_up_template', 'text').execute();
  // "slack:C0123" or "mattermost:abc…": the members come from that channel before each round.
  await db.schema.alterTable('groups').addColumn('chat_channel', 'text').execute();
  await db.schema.alterTable('groups').addColumn('chat_synced_at', 'text').execute();

  // Who ended a membership: 'self', 'admin' or 'sync' (the chat channel sync). Only the sync's own
  // removals are undone by the sync; null (memberships that ended before this column) counts as 'self'.
  await db.schema.alterTable('group_members').addColumn('left_by', 'text').execute();

  // Copied from the group or the source when the meeting is made; null: no reminder.
  await db.schema.alterTable('meetings').addColumn('reminder_minutes', 'integer').execute();

  await db.schema
    .createTable('meeting_feedback')
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('answer', 'text', (c) => c.notNull())
    .addColumn('via', 'text', (c) => c.notNull())
    .addColumn('answered_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('meeting_feedback_pk', ['meeting_id', 'person_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('meeting_feedback').execute();
  await db.schema.alterTable('meetings').dropColumn('reminder_minutes').execute();
  await db.schema.alterTable('group_members').dropColumn('left_by').execute();
  for (const column of [
    'chat_synced_at',
    'chat_channel',
    'follow_up_template',
    'reminder_template',
    'follow_up_days',
    'reminder_minutes',
  ]) {
    await db.schema.alterTable('groups').dropColumn(column).execute();
  }
}
