import type { NotificationRow } from './outbox.js';

export interface ConversationPlan {
  /** Chat user ids per conversation: one group with everyone, or one direct message each. */
  conversations: string[][];
  /** Look in each conversation for an earlier post of this row before posting. */
  lookFirst: boolean;
}

/**
 * Where a chat message goes (Slack and Mattermost alike): one conversation with every reader while
 * the service can open one that large, else one direct message per reader — a group it cannot open
 * would fail every retry.
 *
 * It may already be in some of them: a worker died mid-send (recovered), an earlier attempt reached
 * some conversations before failing, or a rate limit stopped a fan-out half-way — that last one
 * hands the attempt back uncounted, so with several conversations the attempt number proves nothing.
 */
export function planConversations(
  userIds: string[],
  maxInGroup: number,
  row: Pick<NotificationRow, 'recovered' | 'attempts'>,
): ConversationPlan {
  const unique = [...new Set(userIds)];
  const conversations = unique.length <= maxInGroup ? [unique] : unique.map((id) => [id]);
  return { conversations, lookFirst: row.recovered === 1 || row.attempts > 1 || conversations.length > 1 };
}
