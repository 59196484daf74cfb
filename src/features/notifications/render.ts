import type { VideoRooms } from '../../integrations/jitsi.js';
import { feedbackToken } from '../meetings/feedback.js';
import { button, emailDocument, escapeHtml, link as htmlLink, row } from './emailLayout.js';
import { isRemoval, type NotificationPayload, type PayloadPerson } from './payload.js';
import { joinNames, renderTemplate, type TemplateValues } from './templates.js';

export interface RenderContext {
  publicUrl: string;
  video: VideoRooms;
  /** Signs the one-click "Did you meet?" links of follow-ups (settings' signing key). */
  feedbackKey?: Buffer;
  /** When the message is rendered (tests); a reminder says how long is left from then. */
  now?: Date;
}

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
  return meetingRoomLink(ctx, payload.meeting);
}

export function meetingRoomLink(
  ctx: RenderContext,
  meeting: { id: string; roomUrl: string | null; roomName: string | null },
): string | null {
  if (meeting.roomUrl) return meeting.roomUrl;
  if (!meeting.roomName) return null;
  return ctx.video.personal ? meetingPageUrl(ctx, meeting.id) : ctx.video.roomUrl(meeting.roomName);
}

const describe = (p: PayloadPerson) =>
  [p.name, [p.title, p.team].filter(Boolean).join(', ')].filter(Boolean).join(' — ');

/**
 * A mixer pairing: people matched to find a time together. Every other meeting (a 42 evaluation,
 * an API meeting, an admin's, an unconference session) is introduced by its title and time.
 */
export function isPairing(payload: NotificationPayload): boolean {
  return Boolean(payload.meeting.groupId && payload.meeting.groupName && !payload.meeting.startsAt);
}

/**
 * The message's heading (the e-mail's subject, the chat post's title). `timezone`: the reader's,
 * when the message has one reader (e-mail): an introduction with a time then says when.
 */
export function headline(payload: NotificationPayload, timezone?: string): string {
  const { meeting } = payload;
  const where = meeting.groupName ? ` (${meeting.groupName})` : '';
  switch (payload.kind) {
    case 'intro':
      if (isPairing(payload)) return `You've been matched in ${meeting.groupName}`;
      return meeting.startsAt && timezone
        ? `New meeting: ${meeting.title} on ${formatTime(meeting.startsAt, timezone)}`
        : `New meeting: ${meeting.title}`;
    case 'reminder':
      return `Starting soon: ${meeting.title}${where}`;
    case 'rescheduled':
      // A meeting given its first time was not moved: saying "rescheduled" would puzzle readers.
      if (meeting.previousStartsAt === null) return `Time set: ${meeting.title}${where}`;
      // Same time, another place: "rescheduled" would send readers looking for a new time.
      if (roomOnlyChange(payload)) return `Room changed: ${meeting.title}${where}`;
      return `Rescheduled: ${meeting.title}${where}`;
    case 'cancel':
      // Taken out of a meeting that goes on: "cancelled" would be untrue for everyone else.
      if (isRemoval(payload)) return `You were removed from ${meeting.title}`;
      return `Cancelled: ${meeting.title}${where}`;
    case 'follow_up':
      return `Did you meet? ${meeting.title}`;
  }
}

/**
 * Whole minutes from `now` to the start, at least 1. A reminder can go out after its lead (the
 * meeting was set or moved inside it, or the worker was late), so "in 15 minutes" would be wrong.
 */
export function minutesLeft(startsAt: string, now: Date): number {
  return Math.max(1, Math.round((Date.parse(startsAt) - now.getTime()) / 60_000));
}

/**
 * The time a 'rescheduled' message replaces, in `timezone`; null for a first time, a change of
 * place alone ("was: the same time" would only confuse) or another kind.
 */
export function previousTime(payload: NotificationPayload, timezone: string): string | null {
  const previous = payload.kind === 'rescheduled' && !roomOnlyChange(payload) ? payload.meeting.previousStartsAt : null;
  return previous ? formatTime(previous, timezone) : null;
}

/** A 'rescheduled' message whose time stayed and whose place changed. */
export function roomOnlyChange(payload: NotificationPayload): boolean {
  const { meeting } = payload;
  return (
    payload.kind === 'rescheduled' &&
    Boolean(meeting.previousPlace && meeting.place && meeting.previousPlace !== meeting.place) &&
    meeting.previousStartsAt === meeting.startsAt
  );
}

/** "Room B (was: Room A)" for a message that names a place; null for one that does not. */
export function placeText(payload: NotificationPayload): string | null {
  const { place, previousPlace } = payload.meeting;
  if (payload.kind !== 'rescheduled' || !place) return null;
  return previousPlace && previousPlace !== place ? `${place} (was: ${previousPlace})` : place;
}

/** The directory's first name when it has one (payloads queued before it was kept have none), else the name's first word. */
export const firstName = (person: { name: string; firstName?: string | null }) =>
  person.firstName?.trim() || (person.name.trim().split(/\s+/)[0] ?? person.name);

/** The reader's notification settings: where they choose which messages they get, and how. */
export const settingsUrl = (ctx: RenderContext) => `${ctx.publicUrl}/profile#notifications-title`;

/** The values a template can use, for one reader — or, reader null, for a message everyone shares. */
export function templateValues(
  ctx: RenderContext,
  payload: NotificationPayload,
  reader: PayloadPerson | null,
): TemplateValues {
  const { meeting } = payload;
  const others = payload.participants.filter((p) => p.id !== reader?.id).map((p) => p.name);
  const everyone = payload.participants.map((p) => p.name);
  return {
    name: reader ? reader.name : joinNames(everyone),
    first_name: reader ? firstName(reader) : joinNames(payload.participants.map(firstName)),
    others: joinNames(others),
    names: joinNames(everyone),
    group: meeting.groupName ?? '',
    title: meeting.title,
    time: meeting.startsAt ? formatTime(meeting.startsAt, reader?.timezone ?? 'UTC') : '',
    room_url: roomLink(ctx, payload) ?? '',
    meeting_url: meetingPageUrl(ctx, meeting.id),
    lead_minutes: String(payload.leadMinutes ?? ''),
  };
}

/**
 * The opening paragraph of a message, as plain text (each channel escapes it): the group's
 * template when it has one for this kind, else the default wording. The structured parts of a
 * message (who, when, links, buttons) are not part of it and stay whatever the template says.
 */
export function openingText(ctx: RenderContext, payload: NotificationPayload, reader: PayloadPerson | null): string {
  const values = templateValues(ctx, payload, reader);
  if (payload.template) return renderTemplate(payload.template, values);
  switch (payload.kind) {
    case 'intro':
      return introText(payload, values);
    case 'cancel':
      if (isRemoval(payload)) {
        // In a shared chat message the readers are the people removed: greet them, not everyone.
        const removed = new Set(payload.removed);
        const hello = reader
          ? values.first_name
          : joinNames(payload.participants.filter((p) => removed.has(p.id)).map(firstName));
        return `${hello ? `Hello ${hello}, you` : 'You'} were removed from “${payload.meeting.title}”. It still takes place for the other participants, without you: there is nothing you need to do.`;
      }
      return 'This meeting has been cancelled.';
    case 'reminder': {
      const left = payload.meeting.startsAt ? minutesLeft(payload.meeting.startsAt, ctx.now ?? new Date()) : null;
      const when = left === null ? 'soon' : `in ${left} ${left === 1 ? 'minute' : 'minutes'}`;
      return `Hello ${values.name}, ${payload.meeting.title} starts ${when}.`;
    }
    case 'follow_up':
      return `Hello ${values.name}, did you meet ${values.others || 'as planned'}?`;
    case 'rescheduled':
      return changedText(payload, values, reader?.timezone ?? 'UTC');
    default:
      return `Hello ${values.name},`;
  }
}

/** What changed, in a sentence: a first time, another place, or another time (and the one it replaces). */
function changedText(payload: NotificationPayload, values: TemplateValues, timezone: string): string {
  const hello = `Hello ${values.name}, “${payload.meeting.title}”`;
  if (!values.time) return `${hello} has changed.`;
  if (payload.meeting.previousStartsAt === null) return `${hello} now has a time: ${values.time}.`;
  if (roomOnlyChange(payload)) return `${hello} moves to ${payload.meeting.place}; the time stays ${values.time}.`;
  const before = previousTime(payload, timezone);
  return `${hello} has moved to ${values.time}${before ? ` (it was ${before})` : ''}.`;
}

/**
 * The standard introduction. A pairing (no time yet) asks its people to find one; any other
 * meeting is named, with its time in the reader's timezone and its room. A list of names is never
 * left empty ("meet !"): without other participants the sentence does without it.
 */
function introText(payload: NotificationPayload, values: TemplateValues): string {
  const hello = `Hello ${values.first_name}`;
  if (isPairing(payload)) {
    if (!values.others) return `${hello}, you've been matched in ${values.group}.`;
    // "You both" only for a pair: a trio (an odd one out joins a pair) is three people.
    const count = payload.participants.length;
    const you = count === 2 ? 'you both' : count === 3 ? 'all three of you' : 'all of you';
    return `${hello}, meet ${values.others}! Find a time that suits ${you} and say hello.`;
  }
  const withOthers = values.others ? ` with ${values.others}` : '';
  const when = values.time ? ` on ${values.time}` : '';
  const room = values.room_url && values.time ? ` Join the video room then: ${values.room_url}` : '';
  return `${hello}, you are invited to “${payload.meeting.title}”${withOthers}${when}.${room}`;
}

/** One-click answers for a follow-up: the web page they open asks the server (a GET changes nothing). */
export function answerLinks(
  ctx: RenderContext,
  payload: NotificationPayload,
  personId: string,
): { yes: string; no: string } | null {
  if (payload.kind !== 'follow_up' || !ctx.feedbackKey) return null;
  const token = feedbackToken(ctx.feedbackKey, payload.meeting.id, personId);
  const link = (answer: string) =>
    `${meetingPageUrl(ctx, payload.meeting.id)}/answer?${new URLSearchParams({ person: personId, token, answer })}`;
  return { yes: link('yes'), no: link('no') };
}

export interface EmailMessage {
  subject: string;
  text: string;
  html: string;
  /** The other participants with an address: a reply reaches them, not the sending mailbox. */
  replyTo: Array<{ name: string; email: string }>;
  /** The reader's notification settings (the List-Unsubscribe target). */
  settingsUrl: string;
}

export function renderEmail(ctx: RenderContext, payload: NotificationPayload): EmailMessage {
  const reader = payload.recipient;
  const removal = isRemoval(payload);
  const link = payload.kind === 'cancel' ? null : roomLink(ctx, payload);
  const was = previousTime(payload, reader?.timezone ?? 'UTC');
  const startsAt = payload.meeting.startsAt ? formatTime(payload.meeting.startsAt, reader?.timezone ?? 'UTC') : null;
  const when = startsAt && was ? `${startsAt} (was: ${was})` : startsAt;
  const where = placeText(payload);
  const page = meetingPageUrl(ctx, payload.meeting.id);
  const settings = settingsUrl(ctx);
  const subject = headline(payload, reader?.timezone ?? 'UTC');
  const intro = openingText(ctx, payload, reader ?? null);
  const answers = reader ? answerLinks(ctx, payload, reader.id) : null;
  // Someone removed from a meeting no longer meets its people: no list of them, no reply to them.
  const people = removal ? [] : payload.participants;
  const replyTo = people
    .filter((p) => p.id !== reader?.id && p.email)
    .map((p) => ({ name: p.name, email: p.email as string }));
  const reply = replyTo.length ? `Reply to this e-mail to write to ${joinNames(replyTo.map((p) => p.name))}.` : null;
  const why = removal
    ? 'You get this e-mail because you took part in this meeting.'
    : 'You get this e-mail because you take part in this meeting.';
  const lines = [
    intro,
    ...(answers ? ['', `Did you meet? Yes: ${answers.yes}`, `No: ${answers.no}`] : []),
    ...(people.length ? ['', 'Who:', ...people.map((p) => `  - ${describe(p)}`)] : []),
    ...(when ? ['', `When: ${when}`] : []),
    ...(where ? ['', `Where: ${where}`] : []),
    ...(link ? ['', `Video room: ${link}`] : []),
    '',
    `Meeting page: ${page}`,
    ...(reply ? ['', reply] : []),
    '',
    '--',
    why,
    `Choose which messages you get: ${settings}`,
  ];
  const rows = [
    row(escapeHtml(intro).replace(/\n/g, '<br>'), '8px 24px 16px'),
    answers
      ? row(
          `<strong>Did you meet?</strong><br>${button(answers.yes, 'Yes, we met')}${button(answers.no, "No, we didn't", false)}`,
        )
      : '',
    people.length
      ? row(`<strong>Who</strong><br>${people.map((p) => `&bull;&nbsp;${escapeHtml(describe(p))}`).join('<br>')}`)
      : '',
    when ? row(`<strong>When</strong><br>${escapeHtml(when)}`) : '',
    where ? row(`<strong>Where</strong><br>${escapeHtml(where)}`) : '',
    row(
      [link ? button(link, 'Join the video room') : '', button(page, 'Meeting page', !link)].join(''),
      '16px 24px 8px',
    ),
    reply ? row(escapeHtml(reply)) : '',
  ].filter(Boolean);
  const footer = `${escapeHtml(why)}<br>${htmlLink(settings, 'Choose which messages you get')}`;
  const html = emailDocument({ title: subject, rows, footer });
  return { subject, text: lines.join('\n'), html, replyTo, settingsUrl: settings };
}

/**
 * The line under a chat message's heading: the template's words or a notice's own sentence
 * (`text`), the group that matched a pairing (`group`), else the meeting's title (`title`) — never
 * a source's bare name for a meeting that has a title of its own.
 */
export function chatOpening(
  ctx: RenderContext,
  payload: NotificationPayload,
): { kind: 'text' | 'group' | 'title'; text: string } {
  if (payload.template || isRemoval(payload)) return { kind: 'text', text: openingText(ctx, payload, null) };
  const { groupName, title } = payload.meeting;
  if (groupName && (payload.kind !== 'intro' || isPairing(payload))) return { kind: 'group', text: groupName };
  return { kind: 'title', text: title };
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
  const opening = chatOpening(ctx, payload);
  const why =
    opening.kind === 'text'
      ? mrkdwnEscape(opening.text)
      : opening.kind === 'group'
        ? `You're meeting through *${mrkdwnEscape(opening.text)}*.`
        : `*${mrkdwnEscape(opening.text)}*`;
  const link = payload.kind === 'cancel' ? null : roomLink(ctx, payload);
  const blocks: Array<Record<string, unknown>> = [
    { type: 'header', text: { type: 'plain_text', text: title.slice(0, 150) } },
    { type: 'section', text: { type: 'mrkdwn', text: isRemoval(payload) ? why : `${why}\n${who}` } },
  ];
  if (payload.meeting.startsAt) {
    const previous =
      payload.kind === 'rescheduled' && !roomOnlyChange(payload) ? payload.meeting.previousStartsAt : null;
    const was = previous ? ` (was: ${slackDate(previous)})` : '';
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `*When:* ${slackDate(payload.meeting.startsAt)}${was}` },
    });
  }
  const where = placeText(payload);
  if (where) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*Where:* ${mrkdwnEscape(where)}` } });
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
  if (payload.kind === 'follow_up') {
    // Answered through the interactivity endpoint (slackInteractions.ts), which finds who clicked.
    blocks.push(
      { type: 'section', text: { type: 'mrkdwn', text: '*Did you meet?*' } },
      {
        type: 'actions',
        block_id: 'convene_met',
        elements: [
          {
            type: 'button',
            text: { type: 'plain_text', text: 'Yes, we met' },
            action_id: 'convene_met_yes',
            value: payload.meeting.id,
            style: 'primary',
          },
          {
            type: 'button',
            text: { type: 'plain_text', text: "No, we didn't" },
            action_id: 'convene_met_no',
            value: payload.meeting.id,
          },
        ],
      },
    );
  }
  const text = [title, link ? `Video room: ${link}` : null].filter(Boolean).join(' — ');
  return { text, blocks };
}
