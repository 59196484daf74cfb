import type { Config } from '../../config.js';
import { recordAudit } from '../../db/audit.js';
import type { Db, Executor } from '../../db/database.js';
import type { NotificationChannel } from '../../db/schema.js';
import { seal, unseal } from '../../lib/secretBox.js';
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
  const { email, slack, mattermost, webhook } = config.notifications;
  // A channel counts as configured only when the file gives everything it needs to send.
  const configured: Array<[NotificationChannel, Record<string, string>, Record<string, string>] | false> = [
    !!email.smtpUrl && ['email', { from: email.from }, { smtpUrl: email.smtpUrl }],
    !!slack.token && [
      'slack',
      { apiUrl: slack.apiUrl },
      { token: slack.token, ...(slack.signingSecret ? { signingSecret: slack.signingSecret } : {}) },
    ],
    !!(mattermost.url && mattermost.token) && ['mattermost', { url: mattermost.url }, { token: mattermost.token }],
    !!(webhook.url && webhook.secret) && ['webhook', { url: webhook.url }, { secret: webhook.secret }],
  ];
  for (const entry of configured) {
    if (!entry) continue;
    const [channel, settings, secrets] = entry;
    await saveChannel(db, { channel, enabled: true, settings, secrets, source: 'config' });
  }
}

export async function saveChannel(db: Executor, row: ChannelSettings): Promise<void> {
  const values = {
    enabled: row.enabled ? (1 as const) : (0 as const),
    settings: JSON.stringify(row.settings),
    secrets: seal(JSON.stringify(row.secrets), row.channel),
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
    secrets: JSON.parse(unseal(row.secrets, row.channel)) as Record<string, string>,
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

/**
 * A stored address with a password in it (an SMTP URL), shown so an admin can tell which server it
 * names: the scheme, the user, the host and port; never the password, a path or a query (a token
 * may live there). Anything that is not a URL is masked as a secret.
 */
export function maskUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return maskSecret(value);
  }
  const user = url.username ? `${decodeURIComponent(url.username)}${url.password ? ':••••' : ''}@` : '';
  const rest = url.pathname.replace(/^\/$/, '') || url.search ? '/…' : '';
  return `${url.protocol}//${user}${url.host}${rest}`;
}

/**
 * Re-seals every channel's credentials with the current key (`convene secrets rotate`): values
 * sealed with a previous key, and values stored before any key was set. One transaction.
 */
export async function resealChannelSecrets(db: Db): Promise<{ resealed: number }> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom('channel_settings').select(['channel', 'secrets']).execute();
    for (const row of rows) {
      const secrets = seal(unseal(row.secrets, row.channel), row.channel);
      await trx.updateTable('channel_settings').set({ secrets }).where('channel', '=', row.channel).execute();
    }
    await recordAudit(trx, { actorId: null, action: 'secrets.rotate', data: { channels: rows.length } });
    return { resealed: rows.length };
  });
}
