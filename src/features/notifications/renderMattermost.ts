import { isRemoval, type NotificationPayload } from './payload.js';
import {
  chatOpening,
  formatTime,
  headline,
  meetingPageUrl,
  placeText,
  previousTime,
  type RenderContext,
  roomLink,
} from './render.js';

export interface MattermostMessage {
  message: string;
  /** Message attachments: the follow-up's Yes / No buttons. */
  attachments: Array<Record<string, unknown>>;
}

/**
 * Escapes what Mattermost's Markdown would read as formatting in a name, a title or a template's
 * text: inline marks anywhere, block marks (heading, quote, list) at a line's start. Links are left
 * whole — a backslash inside one would break it.
 */
function markdownEscape(text: string): string {
  return text
    .split(/(https?:\/\/[^\s<>]+)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/[\\`*_~[\]<>|]/g, (c) => `\\${c}`)))
    .join('')
    .replace(/^(\s*)([#>+-])/gm, '$1\\$2')
    .replace(/^(\s*\d+)\./gm, '$1\\.');
}

export const mattermostActionsUrl = (ctx: RenderContext) => `${ctx.publicUrl}/api/v1/integrations/mattermost/actions`;

/**
 * The post: who, why, when, the room. Mattermost has no per-reader time token (Slack's <!date>),
 * so the time is written once per timezone the readers live in.
 */
export function renderMattermost(
  ctx: RenderContext,
  payload: NotificationPayload,
  props: { usernames: Map<string, string>; readers: string[]; followUpSig?: string },
): MattermostMessage {
  const { meeting } = payload;
  const who = payload.participants.map((p) => {
    const username = props.usernames.get(p.id);
    const details = [p.title, p.team].filter(Boolean).join(', ');
    return `- ${username ? `@${username}` : markdownEscape(p.name)}${details ? ` — ${markdownEscape(details)}` : ''}`;
  });
  // The group's template, when it has one for this kind, replaces the opening line (as on Slack).
  const opening = chatOpening(ctx, payload);
  const why =
    opening.kind === 'text'
      ? markdownEscape(opening.text)
      : opening.kind === 'group'
        ? `You're meeting through **${markdownEscape(opening.text)}**.`
        : `**${markdownEscape(opening.text)}**`;
  const readers = new Set(props.readers);
  const zones = [
    ...new Set(payload.participants.filter((p) => readers.has(p.id)).map((p) => p.timezone || 'UTC')),
  ].sort();
  const link = payload.kind === 'cancel' ? null : roomLink(ctx, payload);
  // People removed from a meeting that goes on are not shown whom they no longer meet.
  const lines = [
    `#### ${markdownEscape(headline(payload))}`,
    why,
    ...(isRemoval(payload) ? [] : ['', '**Who**', ...who]),
  ];
  if (meeting.startsAt) {
    const startsAt = meeting.startsAt;
    lines.push(
      '',
      '**When**',
      ...(zones.length ? zones : ['UTC']).map((zone) => {
        const was = previousTime(payload, zone);
        return `- ${formatTime(startsAt, zone)}${was ? ` (was: ${was})` : ''}`;
      }),
    );
  }
  const where = placeText(payload);
  if (where) lines.push('', '**Where**', markdownEscape(where));
  lines.push(
    '',
    [link ? `[Join the video room](${link})` : null, `[Meeting page](${meetingPageUrl(ctx, meeting.id)})`]
      .filter(Boolean)
      .join(' · '),
  );
  const attachments: Array<Record<string, unknown>> = [];
  if (payload.kind === 'follow_up' && props.followUpSig) {
    const button = (answer: 'yes' | 'no', name: string, style: string) => ({
      id: answer,
      type: 'button',
      name,
      style,
      integration: {
        url: mattermostActionsUrl(ctx),
        context: { meetingId: meeting.id, answer, sig: props.followUpSig },
      },
    });
    attachments.push({
      text: 'Did you meet?',
      actions: [button('yes', 'Yes', 'good'), button('no', 'No', 'default')],
    });
  }
  return { message: lines.join('\n'), attachments };
}
