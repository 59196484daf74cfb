import type { Kysely } from 'kysely';

/**
 * The unconference: an `events` row of kind 'unconference' (name, description, phase) with its own
 * settings beside it, its timetable (days, slots, rooms), proposals with owners, allowed slots and
 * moderation, one interest per person and proposal, the working schedule, scheduler runs, and the
 * published versions that attendees, feeds and the changelog read.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('unconf_settings')
    .addColumn('event_id', 'text', (c) => c.primaryKey().references('events.id').onDelete('cascade'))
    .addColumn('timezone', 'text', (c) => c.notNull())
    // Xen's console switches: the event's pages are up at all / the schedule is shown to members.
    .addColumn('website_active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('schedule_visible', 'integer', (c) => c.notNull().defaultTo(0))
    // Proposals a member may own; null = the number of non-break slots. Admins are exempt.
    .addColumn('proposal_limit', 'integer')
    // 1: every scheduled session gets a private video room (online or hybrid events).
    .addColumn('video_rooms', 'integer', (c) => c.notNull().defaultTo(0))
    // Timed phase moves (UTC ISO); null = moved by the admin only.
    .addColumn('scheduling_at', 'text')
    .addColumn('publish_at', 'text')
    .addColumn('finish_at', 'text')
    .execute();

  await db.schema
    .createTable('unconf_days')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id').onDelete('cascade'))
    // The calendar date in the event's timezone, YYYY-MM-DD; unique per event.
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull().defaultTo(''))
    .addUniqueConstraint('unconf_days_event_date_unique', ['event_id', 'date'])
    .execute();

  await db.schema
    .createTable('unconf_slots')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('day_id', 'text', (c) => c.notNull().references('unconf_days.id').onDelete('cascade'))
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('is_break', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('label', 'text', (c) => c.notNull().defaultTo(''))
    // A locked slot keeps the sessions the working schedule has there when the scheduler runs.
    .addColumn('locked', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('unconf_slots_event_idx').on('unconf_slots').columns(['event_id', 'starts_at']).execute();

  await db.schema
    .createTable('unconf_rooms')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('capacity', 'integer', (c) => c.notNull())
    .addColumn('url', 'text')
    // 0 for a hallway or an online room: shown, but not a place people walk to.
    .addColumn('is_place', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('unconf_rooms_event_name_unique', ['event_id', 'name_key'])
    .execute();

  await db.schema
    .createTable('unconf_proposals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('created_by', 'text', (c) => c.references('people.id').onDelete('set null'))
    // The text as last written, and its lower-cased, whitespace-collapsed key (unique per event).
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('title_key', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('description_html', 'text', (c) => c.notNull().defaultTo(''))
    // 'pending' (waits for an admin), 'approved', 'rejected'. An approved proposal edited by an
    // unverified member stays public with its approved text until approved again.
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('approved_title', 'text')
    .addColumn('approved_description_html', 'text')
    .addColumn('edit_pending', 'integer', (c) => c.notNull().defaultTo(0))
    // Pinned by an admin: the scheduler keeps it in this slot (and room, when set).
    .addColumn('pinned_slot_id', 'text', (c) => c.references('unconf_slots.id').onDelete('set null'))
    .addColumn('pinned_room_id', 'text', (c) => c.references('unconf_rooms.id').onDelete('set null'))
    // Made by the test-mode generator: cleared with it.
    .addColumn('is_fake', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('unconf_proposals_event_title_unique', ['event_id', 'title_key'])
    .execute();
  await db.schema
    .createIndex('unconf_proposals_event_idx')
    .on('unconf_proposals')
    .columns(['event_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('unconf_owners')
    .addColumn('proposal_id', 'text', (c) => c.notNull().references('unconf_proposals.id').onDelete('cascade'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id').onDelete('cascade'))
    // 'owner' (the proposer) or 'co-owner'.
    .addColumn('role', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('unconf_owners_pk', ['proposal_id', 'person_id'])
    .execute();
  await db.schema
    .createIndex('unconf_owners_person_idx')
    .on('unconf_owners')
    .columns(['person_id', 'event_id'])
    .execute();

  // Speaker availability: no rows = any slot.
  await db.schema
    .createTable('unconf_allowed_slots')
    .addColumn('proposal_id', 'text', (c) => c.notNull().references('unconf_proposals.id').onDelete('cascade'))
    .addColumn('slot_id', 'text', (c) => c.notNull().references('unconf_slots.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('unconf_allowed_slots_pk', ['proposal_id', 'slot_id'])
    .execute();

  await db.schema
    .createTable('unconf_interests')
    .addColumn('proposal_id', 'text', (c) => c.notNull().references('unconf_proposals.id').onDelete('cascade'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id').onDelete('cascade'))
    // 0 / 25 / 75 / 100 (None / A little / Yes / Very).
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    // One rating per person and proposal, whatever the concurrency.
    .addPrimaryKeyConstraint('unconf_interests_pk', ['proposal_id', 'person_id'])
    .execute();
  await db.schema
    .createIndex('unconf_interests_event_person_idx')
    .on('unconf_interests')
    .columns(['event_id', 'person_id'])
    .execute();

  // The working schedule the admin edits and the scheduler writes; published as a version.
  await db.schema
    .createTable('unconf_assignments')
    .addColumn('proposal_id', 'text', (c) => c.primaryKey().references('unconf_proposals.id').onDelete('cascade'))
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('slot_id', 'text', (c) => c.notNull().references('unconf_slots.id'))
    .addColumn('room_id', 'text', (c) => c.notNull().references('unconf_rooms.id'))
    .addUniqueConstraint('unconf_assignments_place_unique', ['slot_id', 'room_id'])
    .execute();
  await db.schema.createIndex('unconf_assignments_event_idx').on('unconf_assignments').column('event_id').execute();

  // Scheduler runs: one active per event at a time; the result is applied only when it finishes.
  await db.schema
    .createTable('unconf_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('requested_by', 'text', (c) => c.references('people.id').onDelete('set null'))
    // 'full' or 'minimal_change' (re-optimise a published schedule, moving as little as possible).
    .addColumn('mode', 'text', (c) => c.notNull())
    // 'queued' | 'running' | 'done' | 'cancelled' | 'failed'.
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('budget_seconds', 'integer', (c) => c.notNull())
    .addColumn('progress', 'real', (c) => c.notNull().defaultTo(0))
    .addColumn('best_score', 'real')
    .addColumn('upper_bound', 'real')
    // The engine's answer (assignments, unplaced with reasons, stats) as JSON, once done.
    .addColumn('result', 'text')
    .addColumn('error', 'text')
    .addColumn('cancel_requested', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('unconf_runs_event_idx').on('unconf_runs').columns(['event_id', 'created_at']).execute();

  await db.schema
    .createTable('unconf_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('published_at', 'text', (c) => c.notNull())
    .addColumn('published_by', 'text', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('score', 'real')
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addUniqueConstraint('unconf_versions_event_number_unique', ['event_id', 'number'])
    .execute();

  // A version's placements, with what attendees saw (title, times, room name) copied in, so the
  // changelog reads the same after the timetable or a proposal is edited.
  await db.schema
    .createTable('unconf_version_sessions')
    .addColumn('version_id', 'text', (c) => c.notNull().references('unconf_versions.id').onDelete('cascade'))
    .addColumn('proposal_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('slot_id', 'text', (c) => c.notNull())
    .addColumn('room_id', 'text', (c) => c.notNull())
    .addColumn('room_name', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('meeting_id', 'text')
    .addPrimaryKeyConstraint('unconf_version_sessions_pk', ['version_id', 'proposal_id'])
    .execute();

  // Unguessable per-person calendar feed URLs (only a sha256 is kept); revoked by setting revoked_at.
  await db.schema
    .createTable('calendar_feeds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('calendar_feeds_person_idx').on('calendar_feeds').column('person_id').execute();

  // People made by an event's test mode, deleted when it is cleared.
  await db.schema
    .createTable('unconf_test_people')
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('unconf_test_people_pk', ['event_id', 'person_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'unconf_test_people',
    'calendar_feeds',
    'unconf_version_sessions',
    'unconf_versions',
    'unconf_runs',
    'unconf_assignments',
    'unconf_interests',
    'unconf_allowed_slots',
    'unconf_owners',
    'unconf_proposals',
    'unconf_rooms',
    'unconf_slots',
    'unconf_days',
    'unconf_settings',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
