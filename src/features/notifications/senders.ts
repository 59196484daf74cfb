import type { Config } from '../../config.js';
import { publicUrlOf } from '../../config.js';
import type { Executor } from '../../db/database.js';
import type { NotificationChannel } from '../../db/schema.js';
import { type Mailer, PermanentMailError, smtpMailer } from '../../integrations/email.js';
import { calendarInvite } from '../../integrations/ics.js';
import { videoRooms } from '../../integrations/jitsi.js';
import { SLACK_MAX_IN_GROUP, SlackFailure, slackChannel } from '../../integrations/slack.js';
import { WebhookFailure, webhookEndpoint } from '../../integrations/webhook.js';
import { redact } from '../../lib/redact.js';
import { describeFor, HTTP_URL, SMTP_URL, type UrlRule, urlProblem } from '../../lib/serviceUrl.js';
import { signingKey } from '../settings/service.js';
import { type ChannelSettings, loadChannels } from './channels.js';
import { planConversations } from './chatConversations.js';
import { freshOnly } from './freshness.js';
import { invitationUid, mailAddress, mailDomain } from './invitation.js';
import { mattermostSender } from './mattermostSender.js';
import { DeliveryError, type NotificationRow, type Sender } from './outbox.js';
import { isRemoval, type NotificationPayload } from './payload.js';
import { type RenderContext, renderEmail, renderSlack, roomLink } from './render.js';
import { webhookSender } from './webhookSender.js';

export interface Senders {
  senders: Partial<Record<NotificationChannel, Sender>>;
  close(): void;
}

/**
 * The server took the message for some addresses and refused others (an assistant's copy, usually).
 * Recorded as a failure that is not retried: sending again would repeat it to those who got it, and
 * 'sent' would hide that someone who should have a copy has none.
 */
function partlyRefused(
  sent: { accepted: string[]; rejected: string[] },
  cc: Array<{ name: string; email: string }>,
): string {
  const copies = new Set(cc.map((c) => c.email.toLowerCase()));
  const refused = sent.rejected.map((a) => (copies.has(a.toLowerCase()) ? `the copy to ${a}` : a)).join(', ');
  return `The mail server refused ${refused}; it accepted ${sent.accepted.join(', ') || 'nobody'}, so this message is not sent again.`;
}

export function emailSender(
  render: RenderContext,
  props: { smtpUrl: string; from: string },
): { send: Sender; mailer: Mailer } {
  const mailer = smtpMailer(props);
  const domain = mailDomain(props.from);
  const send: Sender = async (row, payload) => {
    const reader = payload.recipient;
    if (!reader?.email) throw new DeliveryError('This person has no e-mail address.', true);
    const message = renderEmail(render, payload);
    const { meeting } = payload;
    const calendar =
      meeting.startsAt && (payload.kind === 'intro' || payload.kind === 'rescheduled' || payload.kind === 'cancel')
        ? calendarInvite({
            uid: invitationUid(meeting.id, props.from),
            title: meeting.title,
            description: message.text,
            startsAt: meeting.startsAt,
            durationMinutes: meeting.durationMinutes ?? 30,
            url: roomLink(render, payload),
            location: meeting.place ?? null,
            organizer: mailAddress(props.from),
            // Someone removed gets a CANCEL of their own invitation: it names them alone (RFC 5546
            // §3.2.5), so their calendar drops the meeting and nobody else's copy is touched.
            attendees: (isRemoval(payload) ? [reader] : payload.participants)
              .filter((p) => p.email)
              .map((p) => ({ name: p.name, email: p.email as string })),
            sequence: meeting.sequence,
            cancelled: payload.kind === 'cancel',
          })
        : undefined;
    let sent: Awaited<ReturnType<Mailer['send']>>;
    try {
      sent = await mailer.send({
        to: { name: reader.name, email: reader.email },
        cc: reader.cc,
        replyTo: message.replyTo,
        unsubscribeUrl: message.settingsUrl,
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId: `<${row.id}@${domain}>`,
        ...(calendar ? { calendar } : {}),
      });
    } catch (error) {
      throw new DeliveryError((error as Error).message, error instanceof PermanentMailError);
    }
    if (sent.rejected.length) throw new DeliveryError(partlyRefused(sent, reader.cc), true);
    return sent;
  };
  return { send, mailer };
}

export function slackSender(render: RenderContext, props: { token: string; apiUrl: string }): Sender {
  const slack = slackChannel(props);
  return async (row, payload) => {
    const readers = new Set(payload.readers ?? []);
    const emails = new Map(
      payload.participants.filter((p) => readers.has(p.id) && p.email).map((p) => [p.id, p.email as string]),
    );
    try {
      const { slackIds, notFound } = await slack.findUsers(emails);
      if (!slackIds.size) {
        throw new DeliveryError('Nobody in this meeting was found on Slack (users_not_found).', true);
      }
      const { conversations, lookFirst } = planConversations([...slackIds.values()], SLACK_MAX_IN_GROUP, row);
      const { text, blocks } = renderSlack(render, payload, slackIds);
      const message = {
        text,
        blocks,
        metadata: { event_type: 'convene_notification', event_payload: { notification_id: row.id } },
      };
      const posts: Array<{ channel: string; ts: string; alreadyPosted?: boolean }> = [];
      for (const members of conversations) {
        const channel = await slack.open(members);
        const earlier = lookFirst ? await slack.findPosted(channel, row.created_at, row.id) : null;
        if (earlier) posts.push({ channel, ts: earlier, alreadyPosted: true });
        else posts.push({ channel, ts: await slack.postMessage(channel, message) });
      }
      const [first] = posts as [(typeof posts)[number]];
      return {
        channel: first.channel,
        ts: first.ts,
        posts,
        slackIds: Object.fromEntries(slackIds),
        notFound,
        ...(posts.every((p) => p.alreadyPosted) ? { alreadyPosted: true } : {}),
      };
    } catch (error) {
      if (error instanceof SlackFailure) {
        throw new DeliveryError(error.message, error.kind === 'permanent', error.retryAfterSeconds);
      }
      throw error;
    }
  };
}

/** Rows made by "Send a test message" carry this dedupe prefix; no real message does. */
export const TEST_ROW_PREFIX = 'test:';

/**
 * A webhook receiver acts on events, so the test must not look like a meeting: its own type,
 * saying it is a test, signed and sent by the same endpoint code as real events.
 */
export function webhookTestEvent(row: NotificationRow, payload: NotificationPayload) {
  const by = payload.recipient ?? payload.participants[0];
  return {
    type: 'convene.test',
    timestamp: row.created_at,
    data: {
      test: true,
      message:
        'This is a test message from Convene, sent with "Send a test message" on Admin → Channels. ' +
        'It is not about any meeting: there is nothing to do.',
      ...(by ? { requestedBy: { id: by.id, name: by.name } } : {}),
    },
  };
}

function webhookWithTest(render: RenderContext, props: { url: string; secret: string }): Sender {
  const real = webhookSender(render, props);
  const endpoint = webhookEndpoint(props);
  return async (row, payload) => {
    if (!row.dedupe_key.startsWith(TEST_ROW_PREFIX)) return real(row, payload);
    try {
      return await endpoint.deliver(row.id, webhookTestEvent(row, payload));
    } catch (error) {
      if (error instanceof WebhookFailure) throw new DeliveryError(error.message, error.kind === 'permanent');
      throw error;
    }
  };
}

const LABELS: Record<NotificationChannel, string> = {
  email: 'e-mail',
  slack: 'Slack',
  mattermost: 'Mattermost',
  webhook: 'webhook',
};

/** The URL each channel is built from, checked the way its client will read it. */
function urlProblemOf(channel: ChannelSettings, fallback: Config): string | null {
  const check = (value: string | undefined, rule: UrlRule, label: string) => {
    const problem = value === undefined ? null : urlProblem(value, rule);
    return problem ? describeFor(label, problem) : null;
  };
  switch (channel.channel) {
    case 'email':
      return check(channel.secrets.smtpUrl, SMTP_URL, 'SMTP URL');
    case 'slack':
      return check(channel.settings.apiUrl ?? fallback.notifications.slack.apiUrl, HTTP_URL, 'Web API URL');
    case 'mattermost':
      return check(channel.settings.url, HTTP_URL, 'server URL');
    case 'webhook':
      return check(channel.settings.url, HTTP_URL, 'endpoint URL');
  }
}

/**
 * Stands in for a channel whose settings cannot be used: each of its messages fails (and retries)
 * with a message saying what to fix, while the other channels deliver.
 */
function brokenChannel(channel: ChannelSettings, reason: string): Sender {
  const where = channel.source === 'config' ? 'in the config file' : 'on Admin → Channels';
  const message = `The ${LABELS[channel.channel]} settings are invalid: ${reason}. Fix them ${where}.`;
  return async () => {
    throw new DeliveryError(message);
  };
}

function buildChannel(
  render: RenderContext,
  db: Executor,
  config: Config,
  channel: ChannelSettings,
): { send: Sender; close?: () => void } | null {
  const { settings, secrets } = channel;
  if (channel.channel === 'email' && secrets.smtpUrl) {
    const { send, mailer } = emailSender(render, {
      smtpUrl: secrets.smtpUrl,
      from: settings.from ?? config.notifications.email.from,
    });
    return { send, close: () => mailer.close() };
  }
  if (channel.channel === 'slack' && secrets.token) {
    return {
      send: slackSender(render, { token: secrets.token, apiUrl: settings.apiUrl ?? config.notifications.slack.apiUrl }),
    };
  }
  if (channel.channel === 'mattermost' && settings.url && secrets.token) {
    return { send: mattermostSender(render, { url: settings.url, token: secrets.token, db }) };
  }
  if (channel.channel === 'webhook' && settings.url && secrets.secret) {
    return { send: webhookWithTest(render, { url: settings.url, secret: secrets.secret }) };
  }
  return null;
}

/**
 * Builds an adapter for every enabled channel from the settings stored in the database. A channel
 * that cannot be built (settings saved before they were checked, or edited in the database) gets a
 * failing stand-in instead of stopping the others: one bad URL must not hold up every channel.
 */
export async function buildSenders(db: Executor, config: Config): Promise<Senders> {
  const render: RenderContext = {
    publicUrl: publicUrlOf(config),
    video: videoRooms(config.video),
    feedbackKey: await signingKey(db),
  };
  const senders: Partial<Record<NotificationChannel, Sender>> = {};
  const closers: Array<() => void> = [];
  for (const channel of await loadChannels(db)) {
    if (!channel.enabled) continue;
    const problem = urlProblemOf(channel, config);
    if (problem) {
      senders[channel.channel] = brokenChannel(channel, problem);
      continue;
    }
    try {
      const built = buildChannel(render, db, config, channel);
      if (!built) continue;
      senders[channel.channel] = built.send;
      if (built.close) closers.push(built.close);
    } catch (error) {
      // Only the error's words, scrubbed: its other properties (a URL's `input`) may hold a secret.
      const words = redact(error instanceof Error ? error.message : String(error), Object.values(channel.secrets));
      senders[channel.channel] = brokenChannel(channel, `they could not be used (${words.replace(/\.$/, '')})`);
    }
  }
  // Every channel, whoever added it: a stale reminder or follow-up is skipped, never sent.
  for (const [channel, send] of Object.entries(senders) as Array<[NotificationChannel, Sender]>) {
    senders[channel] = freshOnly(db, send);
  }
  return {
    senders,
    close() {
      for (const close of closers) close();
    },
  };
}
