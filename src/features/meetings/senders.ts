import type { Config } from '../../config.js';
import { publicUrlOf } from '../../config.js';
import type { Executor } from '../../db/database.js';
import type { NotificationChannel } from '../../db/schema.js';
import { type Mailer, PermanentMailError, smtpMailer } from '../../integrations/email.js';
import { calendarInvite } from '../../integrations/ics.js';
import { videoRooms } from '../../integrations/jitsi.js';
import { SlackFailure, slackChannel } from '../../integrations/slack.js';
import { signingKey } from '../settings/service.js';
import { loadChannels } from './channels.js';
import { freshOnly } from './freshness.js';
import { mattermostSender } from './mattermostSender.js';
import { DeliveryError, type Sender } from './outbox.js';
import { type RenderContext, renderEmail, renderSlack, roomLink } from './render.js';
import { webhookSender } from './webhookSender.js';

export interface Senders {
  senders: Partial<Record<NotificationChannel, Sender>>;
  close(): void;
}

function mailAddress(from: string): { name: string; email: string } {
  const match = /^(.*)<([^>]+)>\s*$/.exec(from);
  return match ? { name: (match[1] ?? '').trim(), email: (match[2] ?? '').trim() } : { name: 'Convene', email: from };
}

export function emailSender(
  render: RenderContext,
  props: { smtpUrl: string; from: string },
): { send: Sender; mailer: Mailer } {
  const mailer = smtpMailer(props);
  const domain = mailAddress(props.from).email.split('@')[1] ?? 'convene.local';
  const send: Sender = async (row, payload) => {
    const reader = payload.recipient;
    if (!reader?.email) throw new DeliveryError('This person has no e-mail address.', true);
    const message = renderEmail(render, payload);
    const { meeting } = payload;
    const calendar =
      meeting.startsAt && (payload.kind === 'intro' || payload.kind === 'rescheduled' || payload.kind === 'cancel')
        ? calendarInvite({
            uid: `${meeting.id}@${domain}`,
            title: meeting.title,
            description: message.text,
            startsAt: meeting.startsAt,
            durationMinutes: meeting.durationMinutes ?? 30,
            url: roomLink(render, payload),
            organizer: mailAddress(props.from),
            attendees: payload.participants
              .filter((p) => p.email)
              .map((p) => ({ name: p.name, email: p.email as string })),
            sequence: meeting.sequence,
            cancelled: payload.kind === 'cancel',
          })
        : undefined;
    try {
      return await mailer.send({
        to: { name: reader.name, email: reader.email },
        cc: reader.cc,
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId: `<${row.id}@${domain}>`,
        ...(calendar ? { calendar } : {}),
      });
    } catch (error) {
      throw new DeliveryError((error as Error).message, error instanceof PermanentMailError);
    }
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
    const text = renderSlack(render, payload, new Map()).text;
    try {
      const result = await slack.post({
        emails,
        text,
        blocksFor: (ids) => renderSlack(render, payload, ids).blocks,
        metadata: { event_type: 'convene_notification', event_payload: { notification_id: row.id } },
        ...(row.recovered === 1 ? { checkFirst: { since: row.created_at } } : {}),
      });
      return { ...result };
    } catch (error) {
      if (error instanceof SlackFailure) {
        throw new DeliveryError(error.message, error.kind === 'permanent', error.retryAfterSeconds);
      }
      throw error;
    }
  };
}

/** Builds an adapter for every enabled channel from the settings stored in the database. */
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
    if (channel.channel === 'email' && channel.secrets.smtpUrl) {
      const { send, mailer } = emailSender(render, {
        smtpUrl: channel.secrets.smtpUrl,
        from: channel.settings.from ?? config.notifications.email.from,
      });
      senders.email = send;
      closers.push(() => mailer.close());
    }
    if (channel.channel === 'slack' && channel.secrets.token) {
      senders.slack = slackSender(render, {
        token: channel.secrets.token,
        apiUrl: channel.settings.apiUrl ?? config.notifications.slack.apiUrl,
      });
    }
    if (channel.channel === 'mattermost' && channel.settings.url && channel.secrets.token) {
      senders.mattermost = mattermostSender(render, { url: channel.settings.url, token: channel.secrets.token, db });
    }
    if (channel.channel === 'webhook' && channel.settings.url && channel.secrets.secret) {
      senders.webhook = webhookSender(render, { url: channel.settings.url, secret: channel.secrets.secret });
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
