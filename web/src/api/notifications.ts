/**
 * Channels, Messages, reachability and one's own channel choices (src/features/notifications/routes.ts);
 * the types come from src/contract/notifications.ts.
 */
import type {
  ChannelName,
  ChannelView,
  channelEnvelope,
  channelListSchema,
  MessageKind,
  MessageOrigin,
  MessageStatus,
  MessagesPage,
  MessagesQuery,
  MessageView,
  messageOriginsSchema,
  NotificationPrefs,
  PrefsUpdate,
  Reachability,
  ResendFailedInput,
  resentSchema,
  testChannelResultSchema,
} from '@contract/notifications';
import type { z } from 'zod';
import { api } from './client';

export type {
  ChannelField,
  ChannelName,
  ChannelView,
  MessageKind,
  MessageOrigin,
  MessageStatus,
  MessagesPage,
  NotificationPrefs,
  Reachability,
  ReachPerson,
} from '@contract/notifications';

type Resent = z.infer<typeof resentSchema>;

// The contract is imported for its types only (no zod in the bundle), so the lists of values are
// spelled here as records: `satisfies` fails the build when the server adds or drops a value.
const STATUS_ORDER = { pending: 0, sending: 1, sent: 2, failed: 3, skipped: 4 } satisfies Record<MessageStatus, number>;
export const MESSAGE_STATUSES = Object.keys(STATUS_ORDER) as MessageStatus[];
export const KIND_LABELS: Record<MessageKind, string> = {
  intro: 'Introduction',
  reminder: 'Reminder',
  rescheduled: 'Rescheduled',
  cancel: 'Cancellation',
  removal: 'Removed',
  follow_up: 'Did you meet?',
};
export const MESSAGE_KINDS = Object.keys(KIND_LABELS) as MessageKind[];
export const CHANNEL_LABELS: Record<ChannelName, string> = {
  email: 'E-mail',
  slack: 'Slack',
  mattermost: 'Mattermost',
  webhook: 'Webhook',
};

export type Message = MessageView;

/** What the Messages page filters on; the server names the same fields in its query. */
export type MessageFilter = {
  [K in 'status' | 'channel' | 'origin' | 'kind' | 'meeting']?: MessagesQuery[K] | undefined;
} & { page?: number | undefined };

/** What "Resend all failed" takes: the page's filters but the status and the page. */
export type ResendFilter = Omit<MessageFilter, 'status' | 'page'>;

export async function listChannels(signal?: AbortSignal): Promise<ChannelView[]> {
  return (await api.get<z.infer<typeof channelListSchema>>('/api/v1/admin/channels', { signal })).channels;
}

export async function saveChannel(
  channel: ChannelName,
  change: { enabled: boolean } & Record<string, string | boolean>,
): Promise<ChannelView> {
  return (await api.put<z.infer<typeof channelEnvelope>>(`/api/v1/admin/channels/${channel}`, change)).channel;
}

/** `to`: whom to send it to (blank: the admin's own address). */
export function testChannel(channel: ChannelName, to: string): Promise<z.infer<typeof testChannelResultSchema>> {
  return api.post(`/api/v1/admin/channels/${channel}/test`, to.trim() ? { to: to.trim() } : undefined);
}

export function listMessages(filter: MessageFilter, signal?: AbortSignal): Promise<MessagesPage> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value) params.set(key, String(value));
  const search = params.toString();
  return api.get<MessagesPage>(`/api/v1/admin/messages${search ? `?${search}` : ''}`, { signal });
}

export function resendMessage(id: string): Promise<Resent> {
  return api.post(`/api/v1/admin/messages/${encodeURIComponent(id)}/resend`);
}

export function resendAllFailed(filter: ResendFilter) {
  const body: ResendFailedInput = { status: 'failed' };
  if (filter.channel) body.channel = filter.channel;
  if (filter.origin) body.origin = filter.origin;
  if (filter.kind) body.kind = filter.kind;
  if (filter.meeting) body.meeting = filter.meeting;
  return api.post<Resent>('/api/v1/admin/messages/resend', body);
}

/** Every origin (mixer group, unconference, source) that has messages, with its name. */
export async function listMessageOrigins(signal?: AbortSignal): Promise<MessageOrigin[]> {
  return (await api.get<z.infer<typeof messageOriginsSchema>>('/api/v1/admin/messages/origins', { signal })).origins;
}

export function listUnreachable(signal?: AbortSignal): Promise<Reachability> {
  return api.get<Reachability>('/api/v1/admin/messages/unreachable', { signal });
}

export function getMyNotifications(signal?: AbortSignal): Promise<NotificationPrefs> {
  return api.get<NotificationPrefs>('/api/v1/me/notifications', { signal });
}

export function saveMyNotifications(change: PrefsUpdate): Promise<NotificationPrefs> {
  return api.put<NotificationPrefs>('/api/v1/me/notifications', change);
}
