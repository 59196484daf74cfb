/**
 * What a meeting's messages say and when they go out, copied from its origin (a mixer group, an
 * unconference event, an outside source) when the meeting is made. Kept on the meeting, so the
 * notification pipeline needs no group, event or source to word or time a message.
 */
export interface MeetingMessageSettings {
  /** "group:<id>", "event:<id>", "source:<name>"; null: a meeting of no origin (an admin's). */
  origin: string | null;
  /** The origin's name as people know it ("Coffee roulette"). */
  originName: string | null;
  introTemplate: string | null;
  reminderTemplate: string | null;
  followUpTemplate: string | null;
  /** Minutes before the start for the reminder (0: none; null: the default, 15). */
  reminderMinutes: number | null;
  /** Days after the meeting is made for "Did you meet?"; null: never asked. */
  followUpDays: number | null;
}

/** Minutes before the start a reminder goes out when the origin does not say. */
export const DEFAULT_REMINDER_MINUTES = 15;

export const NO_ORIGIN: MeetingMessageSettings = {
  origin: null,
  originName: null,
  introTemplate: null,
  reminderTemplate: null,
  followUpTemplate: null,
  reminderMinutes: DEFAULT_REMINDER_MINUTES,
  followUpDays: null,
};

export const groupOrigin = (groupId: string) => `group:${groupId}`;
export const eventOrigin = (eventId: string) => `event:${eventId}`;
export const sourceOrigin = (source: string) => `source:${source}`;

export function settingsColumns(settings: MeetingMessageSettings) {
  return {
    origin: settings.origin,
    origin_name: settings.originName,
    intro_template: settings.introTemplate,
    reminder_template: settings.reminderTemplate,
    follow_up_template: settings.followUpTemplate,
    reminder_minutes: settings.reminderMinutes,
    follow_up_days: settings.followUpDays,
  };
}
