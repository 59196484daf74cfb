import type { Config } from '../../config.js';
import type { Executor } from '../../db/database.js';
import type { NotificationChannel } from '../../db/schema.js';
import { nowIso } from '../../lib/time.js';

/** Every channel an admin can set up, in the order the pages show them. */
export const CHANNELS: NotificationChannel[] = ['email', 'slack', 'mattermost', 'webhook'];

export interface ChannelSettings {
  channel: NotificationChannel;
  enabled: boolean;
  settings: Record<string, string>;
  secrets: Record<string, string>;
  source: 'config' | 'admin';
}

/**
 * Channels named in the config file are written to channel_settings at start (source 'config'),
 * so every process — and the transaction that queues messages — reads one truth from the database.
 * Channels not in the file keep what the admin set.
 */
export async function applyChannelConfig(db: Executor, config: Config): Promise<void> {
  const rows: ChannelSettings[] = [];
  const { email, slack } = config.notifications;
  if (email.smtpUrl) {
    rows.push({
      channel: 'email',
      enabled: true,
      settings: { from: email.from },
      secrets: { smtpUrl: email.smtpUrl },
      source: 'config',
    });
  }
  if (slack.token) {
    rows.push({
      channel: 'slack',
      enabled: true,
      settings: { apiUrl: slack.apiUrl },
      secrets: { token: slack.token, ...(slack.signingSecret ? { signingSecret: slack.signingSecret } : {}) },
      source: 'config',
    });
  }
  const { mattermost, webhook } = config.notifications;
  if (mattermost.url && mattermost.token) {
    rows.push({
      channel: 'mattermost',
      enabled: true,
      settings: { url: mattermost.url },
      secrets: { token: mattermost.token },
      source: 'config',
    });
  }
  if (webhook.url && webhook.secret) {
    rows.push({
      channel: 'webhook',
      enabled: true,
      settings: { url: webhook.url },
      secrets: { secret: webhook.secret },
      source: 'config',
    });
  }
  for (const row of rows) await saveChannel(db, row);
}

export async function saveChannel(db: Executor, row: ChannelSettings): Promise<void> {
  const values = {
    enabled: row.enabled ? (1 as const) : (0 as const),
    settings: JSON.stringify(row.settings),
    secrets: JSON.stringify(row.secrets),
    source: row.source,
    updated_at: nowIso(),
  };
  await db
    .insertInto('channel_settings')
    .values({ channel: row.channel, ...values })
    .onConflict((oc) => oc.column('channel').doUpdateSet(values))
    .execute();
}

export async function loadChannels(db: Executor): Promise<ChannelSettings[]> {
  const rows = await db.selectFrom('channel_settings').selectAll().execute();
  return rows.map((row) => ({
    channel: row.channel,
    enabled: row.enabled === 1,
    settings: JSON.parse(row.settings) as Record<string, string>,
    secrets: JSON.parse(row.secrets) as Record<string, string>,
    source: row.source,
  }));
}

export async function enabledChannels(db: Executor): Promise<Set<NotificationChannel>> {
  const rows = await db.selectFrom('channel_settings').select('channel').where('enabled', '=', 1).execute();
  return new Set(rows.map((row) => row.channel));
}

/** A secret as an admin may see it again: its last four characters at most. */
export function maskSecret(secret: string): string {
  return secret.length <= 8 ? '••••' : `••••${secret.slice(-4)}`;
}
