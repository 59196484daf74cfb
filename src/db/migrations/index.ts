import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.js';
import * as m0002 from './0002_mixers_and_meetings.js';
import * as m0003 from './0003_talks.js';
import * as m0004 from './0004_meetings.js';
import * as m0005 from './0005_meeting_messages.js';
import * as m0006 from './0006_votes_one_tree.js';
import * as m0007 from './0007_meeting_origins.js';
import * as m0010 from './0010_job_leases.js';
import * as m0011 from './0011_inbound.js';
import * as m0012 from './0012_talks_settings.js';
import * as m0013 from './0013_manager_flag.js';
import * as m0014 from './0014_unconference.js';
import * as m0015 from './0015_unconf_approved_description.js';
import * as m0016 from './0016_unconf_run_heartbeat.js';
import * as m0017 from './0017_calendar_feed_live.js';
import * as m0018 from './0018_round_undo.js';
import * as m0019 from './0019_accounts.js';
import * as m0021 from './0021_queue_deliveries.js';
import * as m0022 from './0022_person_photos.js';
import * as m0023 from './0023_outbox_lease_index.js';
import * as m0024 from './0024_inbound_refusals.js';
import * as m0025 from './0025_delivery_subject.js';
import * as m0026 from './0026_delivery_event.js';
import * as m0027 from './0027_api_token_sources.js';

/** Every migration, in order. Imported statically so the built server needs no migration folder. */
export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_mixers_and_meetings': m0002,
  '0003_talks': m0003,
  '0004_meetings': m0004,
  '0005_meeting_messages': m0005,
  '0006_votes_one_tree': m0006,
  '0007_meeting_origins': m0007,
  '0010_job_leases': m0010,
  '0011_inbound': m0011,
  '0012_talks_settings': m0012,
  '0013_manager_flag': m0013,
  '0014_unconference': m0014,
  '0015_unconf_approved_description': m0015,
  '0016_unconf_run_heartbeat': m0016,
  '0017_calendar_feed_live': m0017,
  '0018_round_undo': m0018,
  '0019_accounts': m0019,
  '0021_queue_deliveries': m0021,
  '0022_person_photos': m0022,
  '0023_outbox_lease_index': m0023,
  '0024_inbound_refusals': m0024,
  '0025_delivery_subject': m0025,
  '0026_delivery_event': m0026,
  '0027_api_token_sources': m0027,
};
