import { recordAudit } from '../../db/audit.js';
import type { Db, Executor } from '../../db/database.js';
import { mattermostClient } from '../../integrations/mattermost.js';
import { type ChatMember, type ChatRoster, slackChannelRoster } from '../../integrations/slack.js';
import { AppError } from '../../lib/errors.js';
import { isValidTimeZone, nowIso } from '../../lib/time.js';
import { loadChannels } from '../notifications/channels.js';
import { normaliseEmail } from '../people/email.js';
import { type EnsureOutcome, ensurePerson } from '../people/ensurePerson.js';
import type { PersonRow } from '../people/presenters.js';
import { findPeopleBy, findPersonByEmail, personIdsByExternalId } from '../people/queries.js';
import { addMembers, rejoinMembers } from './members.js';
import { findGroup } from './queries.js';

export interface ChatSyncResult {
  chatChannel: string;
  /** Channel members who count: people, active, with an e-mail address. */
  members: number;
  joined: number;
  left: number;
  /** People who were not known (by chat id or e-mail) and were added from their chat profile. */
  created: number;
  /**
   * Channel members whose e-mail address could not be read. They cannot be told apart from the
   * group's members, so while there are any, nobody leaves the group through the sync.
   */
  unreadable: number;
}

export interface SyncLog {
  warn(details: Record<string, unknown>, message: string): void;
}

const CHUNK = 400;

/** "slack:C0123" or "mattermost:abc…"; null for anything else. */
export function parseChatChannel(value: string | null): { kind: 'slack' | 'mattermost'; id: string } | null {
  const match = /^(slack|mattermost):(\S+)$/.exec(value ?? '');
  return match ? { kind: match[1] as 'slack' | 'mattermost', id: match[2] as string } : null;
}

async function mattermostRoster(props: { url: string; token: string }, channelId: string): Promise<ChatRoster> {
  const mm = mattermostClient(props);
  const bot = await mm.me();
  const users = await mm.usersByIds(await mm.channelMemberIds(channelId));
  return {
    botId: bot.id,
    members: users.map(
      (user): ChatMember => ({
        id: user.id,
        email: user.email || null,
        name: [user.first_name, user.last_name].filter(Boolean).join(' ') || user.nickname || user.username,
        firstName: user.first_name || null,
        lastName: user.last_name || null,
        timezone: null,
        bot: user.is_bot === true,
        deactivated: (user.delete_at ?? 0) > 0,
      }),
    ),
  };
}

/**
 * The person behind a chat member: known by their chat id, else by e-mail address, else added from
 * their chat profile (the organisation's chat vouches for the address).
 */
async function personForMember(
  trx: Executor,
  props: { source: string; email: string; member: ChatMember; timezone: string },
): Promise<{ person: PersonRow; outcome: EnsureOutcome }> {
  const { member } = props;
  try {
    return await ensurePerson(trx, {
      source: props.source,
      externalId: member.id,
      email: props.email,
      name: member.name,
      first_name: member.firstName,
      last_name: member.lastName,
      timezone: props.timezone,
      verified: 1,
    });
  } catch (error) {
    // The address's person is linked to another chat account (an old one of theirs): as before
    // chat ids were kept, the address says who it is.
    const person = error instanceof AppError ? await findPersonByEmail(trx, props.email) : undefined;
    if (person) return { person, outcome: 'found' };
    throw error;
  }
}

/** Reads every member of the chat channel through the credentials an admin (or the config) stored. */
export async function readChatRoster(db: Executor, chatChannel: string): Promise<ChatRoster> {
  const target = parseChatChannel(chatChannel);
  if (!target) throw new Error(`"${chatChannel}" is not a chat channel (slack:ID or mattermost:ID).`);
  const settings = (await loadChannels(db)).find((c) => c.channel === target.kind);
  if (target.kind === 'slack') {
    if (!settings?.secrets.token) throw new Error('Slack is not set up: no bot token.');
    return slackChannelRoster(
      { token: settings.secrets.token, apiUrl: settings.settings.apiUrl ?? 'https://slack.com/api/' },
      target.id,
    );
  }
  if (!settings?.settings.url || !settings.secrets.token) throw new Error('Mattermost is not set up: no URL or token.');
  return mattermostRoster({ url: settings.settings.url, token: settings.secrets.token }, target.id);
}

/**
 * Makes the group's members those of its chat channel: newcomers join (people not yet in the
 * directory are added from their chat profile), people who left the channel leave the group.
 * Their rounds and meetings stay. The chat is read first, outside the transaction; the changes
 * are written in one. Returns null when the group is fed by no chat channel.
 */
export async function syncGroupFromChat(props: {
  db: Db;
  groupId: string;
  actorId?: string | null;
}): Promise<ChatSyncResult | null> {
  const group = await findGroup(props.db, props.groupId);
  if (!group?.chat_channel) return null;
  const chatChannel = group.chat_channel;
  const roster = await readChatRoster(props.db, chatChannel);
  const people = roster.members.filter((m) => m.id !== roster.botId && !m.bot && !m.deactivated);
  const byEmail = new Map<string, ChatMember>();
  for (const member of people) if (member.email?.trim()) byEmail.set(normaliseEmail(member.email), member);
  // Hidden addresses (a privacy setting, a missing scope) would read as "everyone left".
  if (people.length > 0 && byEmail.size === 0) {
    throw new Error(`No e-mail address is visible in ${chatChannel}: check the bot's permissions.`);
  }
  const unreadable = people.filter((m) => !m.email?.trim()).length;
  // People are known to the chat by its user ids ("slack", "mattermost" external ids).
  const source = parseChatChannel(chatChannel)?.kind ?? 'chat';

  return props.db.transaction().execute(async (trx) => {
    const now = nowIso();
    // Members met before are linked by their chat id: one lookup for all of them.
    const linked = await personIdsByExternalId(
      trx,
      source,
      [...byEmail.values()].map((m) => m.id),
    );
    const enabledById = new Map(
      (await findPeopleBy(trx, 'id', [...linked.values()])).map((p) => [p.id, p.enabled === 1] as const),
    );
    /** person id → enabled, for every channel member who is a person here. */
    const known = new Map<string, boolean>();
    let created = 0;
    for (const [email, member] of byEmail) {
      const linkedId = linked.get(member.id);
      const linkedEnabled = linkedId === undefined ? undefined : enabledById.get(linkedId);
      if (linkedId !== undefined && linkedEnabled !== undefined) {
        known.set(linkedId, linkedEnabled);
        continue;
      }
      const { person, outcome } = await personForMember(trx, {
        source,
        email,
        member,
        timezone: member.timezone && isValidTimeZone(member.timezone) ? member.timezone : group.timezone,
      });
      if (outcome === 'created') created++;
      known.set(person.id, person.enabled === 1);
    }

    // Disabled people (alumni) are nobody to pair, even while their chat account lingers.
    const inChannel = new Set([...known].filter(([, enabled]) => enabled).map(([id]) => id));
    const current = await trx
      .selectFrom('group_members')
      .select(['person_id', 'status', 'left_by'])
      .where('group_id', '=', group.id)
      .execute();
    const byPerson = new Map(current.map((row) => [row.person_id, row]));
    const newcomers = [...inChannel].filter((id) => !byPerson.has(id));
    // Only the sync's own removals are undone: someone who left themselves, or whom an admin
    // removed, stays out though they are still in the channel.
    const returning = [...inChannel].filter((id) => {
      const row = byPerson.get(id);
      return row?.status === 'left' && row.left_by === 'sync';
    });
    const leaving = unreadable
      ? []
      : current.filter((row) => row.status !== 'left' && !inChannel.has(row.person_id)).map((r) => r.person_id);

    await addMembers(trx, group.id, newcomers, now);
    await rejoinMembers(trx, group.id, returning, now);
    for (let i = 0; i < leaving.length; i += CHUNK) {
      await trx
        .updateTable('group_members')
        .set({ status: 'left', left_at: now, left_by: 'sync', paused_until: null, skip_round_at: null })
        .where('group_id', '=', group.id)
        .where('person_id', 'in', leaving.slice(i, i + CHUNK))
        .execute();
    }
    await trx.updateTable('groups').set({ chat_synced_at: now }).where('id', '=', group.id).execute();
    const result: ChatSyncResult = {
      chatChannel,
      members: byEmail.size,
      joined: newcomers.length + returning.length,
      left: leaving.length,
      created,
      unreadable,
    };
    await recordAudit(trx, {
      actorId: props.actorId ?? null,
      action: 'group.chat_sync',
      subjectType: 'group',
      subjectId: group.id,
      data: { ...result },
    });
    return result;
  });
}

/**
 * The sync that precedes a round. A chat that is down or misconfigured must not cost the group
 * its round: the failure is logged and audited, and the round uses the members it has.
 */
export async function syncBeforeRound(props: {
  db: Db;
  groupId: string;
  log?: SyncLog;
}): Promise<ChatSyncResult | null> {
  try {
    return await syncGroupFromChat({ db: props.db, groupId: props.groupId });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const text = 'chat channel sync failed; the round uses the current members';
    if (props.log) props.log.warn({ groupId: props.groupId, err: message }, text);
    else process.emitWarning(`${text} (group ${props.groupId}): ${message}`, 'ChatSyncWarning');
    await recordAudit(props.db, {
      actorId: null,
      action: 'group.chat_sync_failed',
      subjectType: 'group',
      subjectId: props.groupId,
      data: { error: message.slice(0, 500) },
    }).catch(() => undefined);
    return null;
  }
}
