import { api } from './client';

export type ChannelName = 'email' | 'slack' | 'mattermost' | 'webhook';
export type MessageStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'skipped';
export type MessageKind = 'intro' | 'reminder' | 'rescheduled' | 'cancel' | 'follow_up';

export const MESSAGE_STATUSES: MessageStatus[] = ['pending', 'sending', 'sent', 'failed', 'skipped'];
export const MESSAGE_KINDS: MessageKind[] = ['intro', 'reminder', 'rescheduled', 'cancel', 'follow_up'];
export const KIND_LABELS: Record<MessageKind, string> = {
  intro: 'Introduction',
  reminder: 'Reminder',
  rescheduled: 'Rescheduled',
  cancel: 'Cancellation',
  follow_up: 'Did you meet?',
};
export const CHANNEL_LABELS: Record<ChannelName, string> = {
  email: 'E-mail',
  slack: 'Slack',
  mattermost: 'Mattermost',
  webhook: 'Webhook',
};

export interface ChannelField {
  name: string;
  label: string;
  secret: boolean;
  required: boolean;
  hint: string | null;
  placeholder: string | null;
  /** For an address: the secrets that must be given again when it changes. */
  secretsBound: string[];
}

export interface ChannelView {
  channel: ChannelName;
  label: string;
  enabled: boolean;
  source: 'config' | 'admin' | 'none';
  reachesPeople: boolean;
  fields: ChannelField[];
  settings: Record<string, string>;
  secrets: Record<string, string>;
}

export interface Message {
  id: string;
  channel: ChannelName;
  kind: MessageKind;
  status: MessageStatus;
  attempts: number;
  lastError: string | null;
  recipients: string[];
  /** Recipients the chat found no account for. */
  notFound: string[];
  meetingId: string | null;
  meetingTitle: string | null;
  groupId: string | null;
  groupName: string | null;
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
  nextAttemptAt: string;
}

export interface MessagesPage {
  messages: Message[];
  counts: Record<MessageStatus, number>;
  total: number;
  page: number;
  pageSize: number;
}

export interface MessageFilter {
  status?: MessageStatus | undefined;
  channel?: ChannelName | undefined;
  group?: string | undefined;
  kind?: MessageKind | undefined;
  page?: number | undefined;
}

export interface ReachPerson {
  id: string;
  name: string;
  email: string | null;
  /** Why nothing reaches them; empty when something does. */
  reasons: string[];
  /** Channels that failed them while another one reaches them. */
  warnings: string[];
}

export interface Reachability {
  people: ReachPerson[];
  total: number;
  warned: ReachPerson[];
  warnedTotal: number;
}

export interface NotificationPrefs {
  channels: Array<{ channel: ChannelName; label: string }>;
  defaults: Record<string, boolean>;
  origins: Array<{ origin: string; name: string; override: Record<string, boolean> | null }>;
}

export async function listChannels(signal?: AbortSignal): Promise<ChannelView[]> {
  return (await api.get<{ channels: ChannelView[] }>('/api/v1/admin/channels', { signal })).channels;
}

export async function saveChannel(
  channel: ChannelName,
  change: { enabled: boolean } & Record<string, string | boolean>,
): Promise<ChannelView> {
  return (await api.put<{ channel: ChannelView }>(`/api/v1/admin/channels/${channel}`, change)).channel;
}

/** `to`: whom to send it to (blank: the admin's own address). */
export function testChannel(channel: ChannelName, to: string): Promise<{ ok: boolean; message: string }> {
  return api.post(`/api/v1/admin/channels/${channel}/test`, to.trim() ? { to: to.trim() } : undefined);
}

export function listMessages(filter: MessageFilter, signal?: AbortSignal): Promise<MessagesPage> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value) params.set(key, String(value));
  const search = params.toString();
  return api.get<MessagesPage>(`/api/v1/admin/messages${search ? `?${search}` : ''}`, { signal });
}

export function resendMessage(id: string): Promise<{ resent: number }> {
  return api.post(`/api/v1/admin/messages/${encodeURIComponent(id)}/resend`);
}

export function resendAllFailed(filter: { channel?: ChannelName | undefined; group?: string | undefined }) {
  const body: Record<string, string> = { status: 'failed' };
  if (filter.channel) body.channel = filter.channel;
  if (filter.group) body.group = filter.group;
  return api.post<{ resent: number }>('/api/v1/admin/messages/resend', body);
}

export function listUnreachable(signal?: AbortSignal): Promise<Reachability> {
  return api.get('/api/v1/admin/messages/unreachable', { signal });
}

export function getMyNotifications(signal?: AbortSignal): Promise<NotificationPrefs> {
  return api.get<NotificationPrefs>('/api/v1/me/notifications', { signal });
}

export function saveMyNotifications(change: {
  defaults?: Record<string, boolean>;
  origins?: Array<{ origin: string; override: Record<string, boolean> | null }>;
}): Promise<NotificationPrefs> {
  return api.put<NotificationPrefs>('/api/v1/me/notifications', change);
}
