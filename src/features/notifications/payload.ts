import type { NotificationKind } from '../../db/schema.js';

/** One participant as the message shows them, snapshotted when the message is queued. */
export interface PayloadPerson {
  id: string;
  name: string;
  /** The person's own first name when the directory has one; absent in payloads queued before it was kept. */
  firstName?: string | null;
  email: string | null;
  timezone: string;
  title: string | null;
  team: string | null;
}

/**
 * What a queued message says: a snapshot taken in the transaction that queued it, so the worker
 * needs no joins and a message describes the meeting as it was when the change happened.
 */
export interface NotificationPayload {
  kind: NotificationKind;
  meeting: {
    id: string;
    title: string;
    startsAt: string | null;
    durationMinutes: number | null;
    roomName: string | null;
    /** A link that came with the meeting (external meetings); else the room comes from roomName. */
    roomUrl: string | null;
    groupId: string | null;
    groupName: string | null;
    /** Increases with every change of the meeting: the ICS SEQUENCE. */
    sequence: number;
    /** 'rescheduled' messages: the time before the change; null when the meeting had none. */
    previousStartsAt?: string | null;
    /** 'rescheduled' messages of sources with places (an unconference's rooms): where it is now. */
    place?: string | null;
    /** …and where it was before the change (null: it had none). */
    previousPlace?: string | null;
  };
  participants: PayloadPerson[];
  /** E-mail: the one reader, and the assistants who get a copy. */
  recipient?: PayloadPerson & { cc: Array<{ name: string; email: string }> };
  /** Slack: the participants who read Slack (one conversation with all of them). */
  readers?: string[];
  /** The group's template for this kind, snapshotted when queued (see prepare.ts for why). */
  template?: string | null;
  /** Reminders: minutes before the start they were due. */
  leadMinutes?: number | null;
  /**
   * 'cancel' messages to people taken out of a meeting that goes on for the others: their ids
   * (absent for a cancellation of the whole meeting). The message tells them they were removed.
   */
  removed?: string[];
}

/** A 'cancel' that tells people they were taken out of a meeting that still takes place. */
export const isRemoval = (payload: Pick<NotificationPayload, 'kind' | 'removed'>): boolean =>
  payload.kind === 'cancel' && Boolean(payload.removed?.length);

export const parsePayload = (text: string): NotificationPayload => JSON.parse(text) as NotificationPayload;
