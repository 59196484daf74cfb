import { type Kysely, sql } from 'kysely';

/**
 * A meeting carries its own message settings and its origin, so preparing, rendering and reminding
 * need no mixer group: an unconference event or an outside source gives its meetings the same
 * settings. Personal channel choices are keyed by origin ("group:…", "event:…", "source:…") instead
 * of by group id. Existing rows are carried over from their group.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // "group:<id>", "event:<id>", "source:<name>"; null: a meeting of no origin (an admin's, by hand).
  await db.schema.alterTable('meetings').addColumn('origin', 'text').execute();
  // What people see as the origin ("Coffee roulette"), copied when the meeting is made.
  await db.schema.alterTable('meetings').addColumn('origin_name', 'text').execute();
  await db.schema.alterTable('meetings').addColumn('intro_template', 'text').execute();
  await db.schema.alterTable('meetings').addColumn('reminder_template', 'text').execute();
  await db.schema.alterTable('meetings').addColumn('follow_up_template', 'text').execute();
  // Days after the meeting is made that "Did you meet?" is asked; null: never.
  await db.schema.alterTable('meetings').addColumn('follow_up_days', 'integer').execute();
  // When an outside source last changed the meeting: an older update arriving late changes nothing.
  await db.schema.alterTable('meetings').addColumn('external_updated_at', 'text').execute();
  await sql`
    UPDATE meetings SET
      origin = 'group:' || group_id,
      origin_name = (SELECT name FROM groups WHERE groups.id = meetings.group_id),
      intro_template = (SELECT intro_template FROM groups WHERE groups.id = meetings.group_id),
      reminder_template = (SELECT reminder_template FROM groups WHERE groups.id = meetings.group_id),
      follow_up_template = (SELECT follow_up_template FROM groups WHERE groups.id = meetings.group_id),
      follow_up_days = (SELECT follow_up_days FROM groups WHERE groups.id = meetings.group_id)
    WHERE group_id IS NOT NULL`.execute(db);
  await db.schema.createIndex('meetings_origin').on('meetings').columns(['origin', 'starts_at']).execute();

  // The outbox keeps the origin it was queued under: the Messages page filters on it without a join.
  await db.schema.alterTable('notifications').addColumn('origin', 'text').execute();
  await db.schema.alterTable('notifications').addColumn('origin_name', 'text').execute();
  await sql`
    UPDATE notifications SET
      origin = (SELECT origin FROM meetings WHERE meetings.id = notifications.meeting_id),
      origin_name = (SELECT origin_name FROM meetings WHERE meetings.id = notifications.meeting_id)
    WHERE meeting_id IS NOT NULL`.execute(db);
  await db.schema.createIndex('notifications_origin').on('notifications').columns(['origin', 'created_at']).execute();

  // '' stays the person's default; a group id becomes "group:<id>".
  await sql`UPDATE notification_prefs SET scope = 'group:' || scope WHERE scope <> ''`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`UPDATE notification_prefs SET scope = substr(scope, 7) WHERE scope LIKE 'group:%'`.execute(db);
  await sql`DELETE FROM notification_prefs WHERE scope <> '' AND scope NOT IN (SELECT id FROM groups)`.execute(db);
  await db.schema.dropIndex('notifications_origin').execute();
  await db.schema.alterTable('notifications').dropColumn('origin_name').execute();
  await db.schema.alterTable('notifications').dropColumn('origin').execute();
  await db.schema.dropIndex('meetings_origin').execute();
  for (const column of [
    'external_updated_at',
    'follow_up_days',
    'follow_up_template',
    'reminder_template',
    'intro_template',
    'origin_name',
    'origin',
  ]) {
    await db.schema.alterTable('meetings').dropColumn(column).execute();
  }
}
