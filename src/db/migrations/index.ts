import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.js';
import * as m0002 from './0002_mixers_and_meetings.js';

/** Every migration, in order. Imported statically so the built server needs no migration folder. */
export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_mixers_and_meetings': m0002,
};
