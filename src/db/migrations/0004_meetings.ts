import type { Kysely } from 'kysely';

/**
 * Meetings: video rooms on meetings, the notification outbox, people's channel preferences and the
 * channels' settings.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // The room's name only (≥ 96 random bits); its URL is made from the video settings when shown,
  // so moving to another Jitsi server does not break stored meetings. room_url stays for meetings
  // that arrive with their own link.
  await db.schema.alterTable('meetings').addColumn('room_name', 'text').execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('meeting_id', 'text', (c) => c.references('meetings.id').onDelete('cascade'))
    // Null for a message addressed to the whole meeting (one Slack conversation with everyone).
    .addColumn('person_id', 'text', (c) => c.references('people.id').onDelete('cascade'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('claimed_until', 'text')
    .addColumn('claimed_by', 'text')
    // 1 when this claim took the row over from a worker whose lease ran out mid-send: the message
    // may already have gone, so the channel checks before sending again.
    .addColumn('recovered', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('result', 'text')
    .addColumn('sent_at', 'text')
    // The same message is never queued twice: meeting, kind, channel, recipient (and revision).
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('notifications_due_idx')
    .on('notifications')
    .columns(['status', 'next_attempt_at'])
    .execute();
  await db.schema
    .createIndex('notifications_lease_idx')
    .on('notifications')
    .columns(['status', 'claimed_until'])
    .execute();
  await db.schema.createIndex('notifications_meeting_idx').on('notifications').column('meeting_id').execute();

  // A person's channels: scope '' is their default, a group id overrides it for that group.
  await db.schema
    .createTable('notification_prefs')
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('scope', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_prefs_pk', ['person_id', 'scope', 'channel'])
    .execute();

  // One row per channel (email, slack, …): whether it is on, its settings and its secrets (JSON).
  await db.schema
    .createTable('channel_settings')
    .addColumn('channel', 'text', (c) => c.primaryKey())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('secrets', 'text', (c) => c.notNull().defaultTo('{}'))
    // 'config': managed by the config file (rewritten at start); 'admin': set on the admin page.
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('admin'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['channel_settings', 'notification_prefs', 'notifications']) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.alterTable('meetings').dropColumn('room_name').execute();
}
