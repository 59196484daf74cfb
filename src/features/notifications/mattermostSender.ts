import type { Executor } from '../../db/database.js';
import { MattermostFailure, type MattermostUser, mattermostClient } from '../../integrations/mattermost.js';
import { redact } from '../../lib/redact.js';
import { feedbackToken } from '../meetings/feedback.js';
import { signingKey } from '../settings/service.js';
import { planConversations } from './chatConversations.js';
import { DeliveryError, type Sender } from './outbox.js';
import type { RenderContext } from './render.js';
import { renderMattermost } from './renderMattermost.js';

/** A group channel holds at most 8 users: the bot and 7 people. */
const MAX_IN_GROUP = 7;

/** The key under which a post carries its notification id, so a retry can find what was sent. */
export const NOTIFICATION_PROP = 'convene_notification_id';

/** The signature a follow-up's buttons carry: it binds the meeting; the clicker is named by Mattermost. */
export const mattermostFollowUpSig = (key: Buffer, meetingId: string) => feedbackToken(key, meetingId, '*');

/**
 * One conversation with the bot and every participant found on Mattermost, and one post in it.
 * More people than a group channel holds each get the post in their direct channel.
 */
export function mattermostSender(
  render: RenderContext,
  props: { url: string; token: string; db: Executor; timeoutMs?: number },
): Sender {
  const mm = mattermostClient(props);
  let key: Buffer | undefined;
  return async (row, payload) => {
    try {
      key ??= await signingKey(props.db);
      const readers = new Set(payload.readers ?? []);
      const found = new Map<string, MattermostUser>();
      const notFound: string[] = [];
      for (const person of payload.participants) {
        if (!readers.has(person.id) || !person.email) continue;
        const user = await mm.userByEmail(person.email);
        if (user && !user.delete_at) found.set(person.id, user);
        else notFound.push(person.id);
      }
      if (!found.size) throw new DeliveryError('Nobody in this meeting was found on Mattermost.', true);
      const bot = await mm.me();
      const userIds = [...new Set([...found.values()].map((u) => u.id))].filter((id) => id !== bot.id);
      if (!userIds.length) throw new DeliveryError('The only reader on Mattermost is the bot itself.', true);
      const { conversations, lookFirst } = planConversations(userIds, MAX_IN_GROUP, row);
      const { message, attachments } = renderMattermost(render, payload, {
        usernames: new Map([...found].map(([personId, user]) => [personId, user.username])),
        readers: [...found.keys()],
        followUpSig: mattermostFollowUpSig(key, payload.meeting.id),
      });
      const postProps = { [NOTIFICATION_PROP]: row.id, ...(attachments.length ? { attachments } : {}) };
      const posts: Array<{ channel: string; post: string; alreadyPosted?: boolean }> = [];
      for (const members of conversations) {
        const channel = await mm.channelWith([bot.id, ...members]);
        if (lookFirst) {
          const since = Date.parse(row.created_at) - 60_000;
          const earlier = (await mm.postsSince(channel, since)).find((p) => p.props?.[NOTIFICATION_PROP] === row.id);
          if (earlier) {
            posts.push({ channel, post: earlier.id, alreadyPosted: true });
            continue;
          }
        }
        const post = await mm.createPost({ channel_id: channel, message, props: postProps });
        posts.push({ channel, post: post.id });
      }
      return {
        posts,
        mattermostIds: Object.fromEntries([...found].map(([personId, user]) => [personId, user.id])),
        notFound,
        ...(posts.every((p) => p.alreadyPosted) ? { alreadyPosted: true } : {}),
      };
    } catch (error) {
      if (error instanceof MattermostFailure) {
        // fetch() quotes the whole URL in some errors (credentials included): never pass that on.
        throw new DeliveryError(
          redact(error.message, [props.token]),
          error.kind === 'permanent',
          error.retryAfterSeconds,
        );
      }
      throw error;
    }
  };
}
