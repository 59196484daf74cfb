/** Channels, the message log (Messages), reachability and each person's channel choices. Zod only. */
import { z } from 'zod';

export const notificationChannels = ['email', 'slack', 'mattermost', 'webhook'] as const;
export const messageStatuses = ['pending', 'sending', 'sent', 'failed', 'skipped'] as const;
export const notificationKinds = ['intro', 'reminder', 'rescheduled', 'cancel', 'follow_up'] as const;

export const channelEnum = z.enum(notificationChannels);
export const messageStatusEnum = z.enum(messageStatuses);
export const notificationKindEnum = z.enum(notificationKinds);
/**
 * The Messages page's kinds: the stored ones, with 'removal' told apart from 'cancel' (both are
 * stored 'cancel'; a removal tells people taken out of a meeting that goes on for the others).
 */
export const messageKinds = [...notificationKinds, 'removal'] as const;
export const messageKindEnum = z.enum(messageKinds);
const id = z.string().min(1).max(64);

export const channelViewSchema = z.object({
  channel: channelEnum,
  label: z.string(),
  enabled: z.boolean(),
  source: z.enum(['config', 'admin', 'none']),
  reachesPeople: z.boolean(),
  fields: z.array(
    z.object({
      name: z.string(),
      label: z.string(),
      secret: z.boolean(),
      required: z.boolean(),
      hint: z.string().nullable(),
      placeholder: z.string().nullable(),
      /** For an address: the secrets that must be given again when it changes. */
      secretsBound: z.array(z.string()),
    }),
  ),
  settings: z.record(z.string(), z.string()),
  secrets: z.record(z.string(), z.string()),
});

export const channelListSchema = z.object({ channels: z.array(channelViewSchema) });
export const channelEnvelope = z.object({ channel: channelViewSchema });
export const channelParams = z.object({ channel: channelEnum });

// The channel's own fields are checked by its schema on the server (channelAdmin.ts).
export const updateChannelBody = z
  .object({ enabled: z.boolean().optional() })
  .catchall(z.string().max(2000, 'must be at most 2000 characters'));

export const testChannelBody = z
  .object({
    to: z
      .string()
      .trim()
      .max(254, 'must be at most 254 characters')
      .pipe(z.email('must be an e-mail address'))
      .optional(),
  })
  .strict()
  .nullish();
export const testChannelResultSchema = z.object({ ok: z.boolean(), message: z.string() });

export const messageViewSchema = z.object({
  id: z.string(),
  channel: channelEnum,
  /** What the message says: 'removal' for a 'cancel' that tells people they were taken out of a meeting. */
  kind: messageKindEnum,
  status: messageStatusEnum,
  attempts: z.number(),
  lastError: z.string().nullable(),
  recipients: z.array(z.string()),
  /** Recipients the chat found no account for. */
  notFound: z.array(z.string()),
  meetingId: z.string().nullable(),
  meetingTitle: z.string().nullable(),
  groupId: z.string().nullable(),
  groupName: z.string().nullable(),
  origin: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  sentAt: z.string().nullable(),
  nextAttemptAt: z.string(),
  /** Failed or skipped, and the outbox would send it if queued again: "Resend" is offered. */
  canResend: z.boolean(),
  /** Failed or skipped, but resending would not send it (e.g. its meeting was cancelled): why. */
  resendBlocked: z.string().nullable(),
});

const origin = z.string().min(1).max(200);

export const messagesQuery = z
  .object({
    status: messageStatusEnum.optional(),
    channel: channelEnum.optional(),
    /** A mixer group's id: the same as origin "group:<id>". */
    group: id.optional(),
    /** "group:<id>", "event:<id>" (an unconference), "source:<name>" (meetings from outside). */
    origin: origin.optional(),
    /** 'cancel': cancellations of whole meetings; 'removal': notices to people taken out of one. */
    kind: messageKindEnum.optional(),
    /** One meeting's messages. */
    meeting: id.optional(),
    page: z.coerce.number().int().min(1).max(100_000).default(1),
  })
  .strict();

export const messagesPageSchema = z.object({
  messages: z.array(messageViewSchema),
  /** Messages per status under the same filter: every status, 0 when there is none. */
  counts: z.record(messageStatusEnum, z.number()),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
  /** With `meeting=`: that meeting as it is now (null: no meeting by that id). */
  meeting: z.object({ id: z.string(), title: z.string() }).nullable().optional(),
});

/** Every origin some message was queued for, with its name: what the page's Origin filter offers. */
export const messageOriginsSchema = z.object({
  origins: z.array(
    z.object({
      /** "group:<id>", "event:<id>", "source:<name>": the value of `origin=`. */
      origin: z.string(),
      type: z.enum(['group', 'event', 'source']),
      /** The group's, event's or source's name (the origin itself when none was recorded). */
      name: z.string(),
      /** How many messages it has. */
      count: z.number(),
    }),
  ),
});

export const messageParams = z.object({ id });
export const resentSchema = z.object({ resent: z.number() });

export const resendFailedBody = z
  .object({
    status: z.literal('failed'),
    channel: channelEnum.optional(),
    group: id.optional(),
    origin: origin.optional(),
    kind: messageKindEnum.optional(),
    meeting: id.optional(),
  })
  .strict();

export const reachPersonSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  /** Why nothing reaches them; empty when something does. */
  reasons: z.array(z.string()),
  /** Channels that failed them while another one reaches them. */
  warnings: z.array(z.string()),
});

export const reachabilitySchema = z.object({
  people: z.array(reachPersonSchema),
  total: z.number(),
  warned: z.array(reachPersonSchema),
  warnedTotal: z.number(),
});

const channelChoices = z.record(z.string().max(40), z.boolean());

export const notificationPrefsSchema = z.object({
  channels: z.array(z.object({ channel: channelEnum, label: z.string() })),
  defaults: z.record(z.string(), z.boolean()),
  origins: z.array(
    z.object({ origin: z.string(), name: z.string(), override: z.record(z.string(), z.boolean()).nullable() }),
  ),
});

export const updatePrefsBody = z
  .object({
    defaults: channelChoices.optional(),
    origins: z
      .array(z.object({ origin: z.string().min(1).max(200), override: channelChoices.nullable() }).strict())
      .max(500)
      .optional(),
  })
  .strict();

export type ChannelName = (typeof notificationChannels)[number];
export type MessageStatus = (typeof messageStatuses)[number];
export type MessageKind = (typeof messageKinds)[number];
export type ChannelView = z.infer<typeof channelViewSchema>;
export type ChannelField = ChannelView['fields'][number];
export type MessageView = z.infer<typeof messageViewSchema>;
export type MessagesQuery = z.input<typeof messagesQuery>;
export type MessagesPage = z.infer<typeof messagesPageSchema>;
export type MessageOrigin = z.infer<typeof messageOriginsSchema>['origins'][number];
export type ReachPerson = z.infer<typeof reachPersonSchema>;
export type Reachability = z.infer<typeof reachabilitySchema>;
export type NotificationPrefs = z.infer<typeof notificationPrefsSchema>;
export type PrefsUpdate = z.input<typeof updatePrefsBody>;
export type ResendFailedInput = z.input<typeof resendFailedBody>;
