import { recordAudit } from '../../db/audit.js';
import type { Db, Executor } from '../../db/database.js';
import type { NotificationChannel } from '../../db/schema.js';
import { conflict, notFound } from '../../lib/errors.js';
import { meetingsOfRound } from '../meetings/queries.js';
import { announceUntold } from '../meetings/service.js';
import { groupOrigin } from '../meetings/settings.js';
import { CHANNEL_SPECS } from '../notifications/channelAdmin.js';
import { personalChannels } from '../notifications/prefs.js';
import { channelsReaching, introRecipients } from '../notifications/reach.js';
import { automaticMemberIds } from './members.js';
import { findGroup } from './queries.js';
import { latestRound, undoableUntil } from './undo.js';

const LIST_LIMIT = 200;

export interface ReachPersonView {
  id: string;
  name: string;
  username: string;
  reason: string;
}

export interface GroupReach {
  /** The channels that reach people and are on, by label. */
  channels: string[];
  members: number;
  /** Members no channel reaches (the first 200, by name), with why. */
  unreachable: ReachPersonView[];
  unreachableTotal: number;
  /** The latest round, unless it was undone. */
  latestRound: null | {
    roundId: string;
    scheduledFor: string;
    createdAt: string;
    /** Until when an admin may undo it; null once that has passed. */
    undoableUntil: string | null;
    /** People in its meetings still on. */
    people: number;
    /** Of them, people no intro has reached or is on its way to. */
    untold: Array<{ id: string; name: string; username: string; reachableNow: boolean }>;
  };
}

function reasonFor(person: { email: string | null }, channelsOn: NotificationChannel[]): string {
  if (!channelsOn.length) return 'No channel that reaches people is turned on (Admin → Channels).';
  const needing = channelsOn.filter((c) => CHANNEL_SPECS[c].needsEmail);
  if (!person.email && needing.length === channelsOn.length)
    return 'Has no e-mail address, and every channel that is on needs one.';
  return 'Their own settings turn every channel off for this group.';
}

/**
 * Who in a group Convene cannot reach, and how its latest round was told: the admin's view before
 * and after a round. A person is unreachable when no channel would write to them about the group
 * (the queue's own rule: on, usable with their address, chosen in their settings).
 */
export async function groupReach(
  db: Executor,
  groupId: string,
  props: { undoWindowHours: number; titlePattern: RegExp; now?: Date },
): Promise<GroupReach> {
  const now = props.now ?? new Date();
  const undoWindowHours = props.undoWindowHours;
  const group = await findGroup(db, groupId);
  if (!group) throw notFound('No such group.');
  const origin = groupOrigin(group.id);
  const on = await personalChannels(db);
  // An automatic group's members are whom its rule holds, as its count says, rows written or not.
  const automatic =
    group.membership === 'auto' ? new Set(await automaticMemberIds(db, group, props.titlePattern)) : null;
  const members = (
    await db
      .selectFrom('people')
      .select(['people.id', 'people.name', 'people.username', 'people.email'])
      .$if(automatic === null, (q) =>
        q.where('people.id', 'in', (eb) =>
          eb
            .selectFrom('group_members')
            .select('group_members.person_id')
            .where('group_members.group_id', '=', group.id)
            .where('group_members.status', '!=', 'left'),
        ),
      )
      .where('people.enabled', '=', 1)
      .orderBy('people.name')
      .execute()
  ).filter((person) => !automatic || automatic.has(person.id));
  const reaching = await channelsReaching(db, members, origin);
  const unreachable = members
    .filter((m) => !reaching.get(m.id)?.length)
    .map((m) => ({ id: m.id, name: m.name, username: m.username, reason: reasonFor(m, on) }));

  const round = await latestRound(db, group.id);
  let latest: GroupReach['latestRound'] = null;
  if (round && !round.undone_at) {
    const meetings = (await meetingsOfRound(db, round.id)).filter((m) => m.status !== 'cancelled');
    const told = await introRecipients(
      db,
      meetings.map((m) => m.id),
      ['pending', 'sending', 'sent'],
    );
    const untoldIds = [...new Set(meetings.flatMap((m) => m.participantIds.filter((id) => !told.get(m.id)?.has(id))))];
    const people = untoldIds.length
      ? await db
          .selectFrom('people')
          .select(['id', 'name', 'username', 'email'])
          .where('id', 'in', untoldIds)
          .orderBy('name')
          .execute()
      : [];
    const reachNow = await channelsReaching(db, people, origin);
    const until = undoableUntil(round.created_at, undoWindowHours);
    latest = {
      roundId: round.id,
      scheduledFor: round.scheduled_for,
      createdAt: round.created_at,
      undoableUntil: until > now.toISOString() ? until : null,
      people: new Set(meetings.flatMap((m) => m.participantIds)).size,
      untold: people.map((p) => ({
        id: p.id,
        name: p.name,
        username: p.username,
        reachableNow: Boolean(reachNow.get(p.id)?.length),
      })),
    };
  }
  return {
    channels: on.map((c) => CHANNEL_SPECS[c].label),
    members: members.length,
    unreachable: unreachable.slice(0, LIST_LIMIT),
    unreachableTotal: unreachable.length,
    latestRound: latest,
  };
}

/**
 * "Announce once a channel is on": sends the latest round's intros to the people none has reached
 * (the round was made while no channel reached them), through the notifications pipeline. Asking
 * twice tells nobody twice. Refused, naming what to do, when no channel is on.
 */
export async function announceLatestRound(props: {
  db: Db;
  groupId: string;
  actorId?: string | null;
  now?: Date;
}): Promise<{ roundId: string; meetings: number; told: string[]; channels: string[] }> {
  return props.db.transaction().execute(async (trx) => {
    const group = await findGroup(trx, props.groupId);
    if (!group) throw notFound('No such group.');
    const round = await latestRound(trx, group.id);
    if (!round || round.undone_at) throw conflict('This group has no round to announce.');
    if (!(await personalChannels(trx)).length) {
      throw conflict(
        'No channel that reaches people is turned on: turn on e-mail, Slack or Mattermost (Admin → Channels) first.',
      );
    }
    const meetings = await meetingsOfRound(trx, round.id);
    const announced = await announceUntold(trx, {
      meetingIds: meetings.map((m) => m.id),
      ...(props.now && { now: props.now }),
    });
    const told = announced.told.length
      ? (await trx.selectFrom('people').select('name').where('id', 'in', announced.told).orderBy('name').execute()).map(
          (p) => p.name,
        )
      : [];
    await recordAudit(trx, {
      actorId: props.actorId ?? null,
      action: 'round.announce',
      subjectType: 'round',
      subjectId: round.id,
      data: { groupId: group.id, meetings: announced.meetings, told: announced.told.length },
    });
    return { roundId: round.id, meetings: announced.meetings, told, channels: announced.channels };
  });
}
