import type { MeetingStatus } from '../../db/schema.js';
import type { MeetingMessageSettings } from '../meetings/settings.js';
import type { Contact } from '../people/contacts.js';

/**
 * A meeting as its messages describe it: everything the pipeline needs, handed over by the meetings
 * service, so notifications never read the meetings tables.
 */
export interface MessageMeeting extends MeetingMessageSettings {
  id: string;
  title: string;
  startsAt: string | null;
  durationMinutes: number | null;
  roomName: string | null;
  roomUrl: string | null;
  /** The mixer group, when the meeting is a pairing: kept in the payload for webhook readers. */
  groupId: string | null;
  createdAt: string;
  updatedAt: string;
  /** Everyone in the meeting, in display order (disabled people are never written to). */
  participants: Contact[];
  /** When set, only these participants are told (people added to or removed from a meeting). */
  only?: string[] | undefined;
  /**
   * false: no webhook event for this change (the integrator hears of it by another message: an
   * intro instead of "rescheduled" when its first one never went). Default: one event.
   */
  webhook?: boolean | undefined;
  /**
   * The meeting's status as the change left it. A 'cancel' told to `only` while the meeting is
   * not cancelled is a removal: those people were taken out, the meeting goes on for the others.
   */
  status?: MeetingStatus | undefined;
}
