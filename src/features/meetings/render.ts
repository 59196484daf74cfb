import type { VideoRooms } from '../../integrations/jitsi.js';
import type { NotificationPayload, PayloadPerson } from './payload.js';

export interface RenderContext {
  publicUrl: string;
  video: VideoRooms;
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

/** "Monday 3 March 2025, 10:00 (Europe/Paris)" in the reader's timezone. */
export function formatTime(iso: string, timezone: string): string {
  const text = new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
  return `${text} (${timezone})`;
}

export const meetingPageUrl = (ctx: RenderContext, meetingId: string) => `${ctx.publicUrl}/meetings/${meetingId}`;

/** The link a message offers: the room itself, or the meeting page when joining needs a personal token. */
export function roomLink(ctx: RenderContext, payload: NotificationPayload): string | null {
  if (payload.meeting.roomUrl) return payload.meeting.roomUrl;
  if (!payload.meeting.roomName) return null;
  return ctx.video.personal ? meetingPageUrl(ctx, payload.meeting.id) : ctx.video.roomUrl(payload.meeting.roomName);
}

const describe = (p: PayloadPerson) =>
  [p.name, [p.title, p.team].filter(Boolean).join(', ')].filter(Boolean).join(' — ');

function headline(payload: NotificationPayload): string {
  const { meeting } = payload;
  const where = meeting.groupName ? ` (${meeting.groupName})` : '';
  switch (payload.kind) {
    case 'intro':
      return meeting.groupName ? `You've been matched in ${meeting.groupName}` : `New meeting: ${meeting.title}`;
    case 'reminder':
      return `Starting soon: ${meeting.title}${where}`;
    case 'rescheduled':
      return `Rescheduled: ${meeting.title}${where}`;
    case 'cancel':
      return `Cancelled: ${meeting.title}${where}`;
    case 'follow_up':
      return `Did you meet? ${meeting.title}`;
  }
}

export interface EmailMessage {
  subject: string;
  text: string;
  html: string;
}

export function renderEmail(ctx: RenderContext, payload: NotificationPayload): EmailMessage {
  const reader = payload.recipient;
  const others = payload.participants.filter((p) => p.id !== reader?.id);
  const link = payload.kind === 'cancel' ? null : roomLink(ctx, payload);
  const when = payload.meeting.startsAt ? formatTime(payload.meeting.startsAt, reader?.timezone ?? 'UTC') : null;
  const page = meetingPageUrl(ctx, payload.meeting.id);
  const subject = headline(payload);
  const intro =
    payload.kind === 'intro' && payload.meeting.groupName
      ? `Hello ${reader?.name ?? ''}, meet ${others.map((p) => p.name).join(' and ')}! Find a time that suits you both and say hello.`
      : payload.kind === 'cancel'
        ? `This meeting has been cancelled.`
        : `Hello ${reader?.name ?? ''},`;
  const lines = [
    intro,
    '',
    'Who:',
    ...payload.participants.map((p) => `  - ${describe(p)}`),
    ...(when ? ['', `When: ${when}`] : []),
    ...(link ? ['', `Video room: ${link}`] : []),
    '',
    `Meeting page: ${page}`,
  ];
  const html = [
    `<p>${escapeHtml(intro)}</p>`,
    '<p><strong>Who</strong></p><ul>',
    ...payload.participants.map((p) => `<li>${escapeHtml(describe(p))}</li>`),
    '</ul>',
    when ? `<p><strong>When</strong>: ${escapeHtml(when)}</p>` : '',
    link ? `<p><a href="${escapeHtml(link)}">Join the video room</a></p>` : '',
    `<p><a href="${escapeHtml(page)}">Meeting page</a></p>`,
  ]
    .filter(Boolean)
    .join('\n');
  return { subject, text: lines.join('\n'), html };
}

export interface SlackMessage {
  text: string;
  blocks: Array<Record<string, unknown>>;
}

/** Slack's date token shows the time in each reader's own timezone; the fallback is UTC. */
const slackDate = (iso: string) =>
  `<!date^${Math.floor(Date.parse(iso) / 1000)}^{date_long_pretty} at {time}|${formatTime(iso, 'UTC')}>`;

const mrkdwnEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function renderSlack(
  ctx: RenderContext,
  payload: NotificationPayload,
  slackIds: Map<string, string>,
): SlackMessage {
  const who = payload.participants
    .map((p) => {
      const id = slackIds.get(p.id);
      const details = [p.title, p.team].filter(Boolean).join(', ');
      return `• ${id ? `<@${id}>` : mrkdwnEscape(p.name)}${details ? ` — ${mrkdwnEscape(details)}` : ''}`;
    })
    .join('\n');
  const title = headline(payload);
  const why = payload.meeting.groupName
    ? `You're meeting through *${mrkdwnEscape(payload.meeting.groupName)}*.`
    : mrkdwnEscape(payload.meeting.title);
  const link = payload.kind === 'cancel' ? null : roomLink(ctx, payload);
  const blocks: Array<Record<string, unknown>> = [
    { type: 'header', text: { type: 'plain_text', text: title.slice(0, 150) } },
    { type: 'section', text: { type: 'mrkdwn', text: `${why}\n${who}` } },
  ];
  if (payload.meeting.startsAt) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*When:* ${slackDate(payload.meeting.startsAt)}` } });
  }
  const buttons: Array<Record<string, unknown>> = [];
  if (link) {
    buttons.push({
      type: 'button',
      text: { type: 'plain_text', text: 'Join the video room' },
      url: link,
      action_id: 'join',
      style: 'primary',
    });
  }
  buttons.push({
    type: 'button',
    text: { type: 'plain_text', text: 'Meeting page' },
    url: meetingPageUrl(ctx, payload.meeting.id),
    action_id: 'page',
  });
  blocks.push({ type: 'actions', elements: buttons });
  const text = [title, link ? `Video room: ${link}` : null].filter(Boolean).join(' — ');
  return { text, blocks };
}
