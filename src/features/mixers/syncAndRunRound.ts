import type { Db } from '../../db/database.js';
import { badRequest, notFound } from '../../lib/errors.js';
import { type SyncLog, syncBeforeRound } from './chatSync.js';
import { findGroup } from './queries.js';
import { type RoundOutcome, runRound } from './rounds.js';

/**
 * "Sync the chat members, then run the round": the one way a round is made, by the admin page,
 * `convene match` and the scheduler alike.
 *
 * The sync runs outside the round's transaction; a chat that is down is logged and audited, and the
 * round goes on with the members the group has. A dry run changes nothing, so it reads no chat.
 * An archived group makes no rounds.
 */
export async function syncAndRunRound(props: {
  db: Db;
  groupId: string;
  scheduledFor: Date;
  titlePattern: RegExp;
  actorId?: string | null;
  dryRun?: boolean;
  seed?: string;
  log?: SyncLog;
}): Promise<RoundOutcome> {
  const group = await findGroup(props.db, props.groupId);
  if (!group) throw notFound('No such group.');
  if (group.archived) throw badRequest('This group is archived.');
  if (group.chat_channel && !props.dryRun) await syncBeforeRound({ db: props.db, groupId: group.id, log: props.log });
  return runRound({
    db: props.db,
    groupId: group.id,
    scheduledFor: props.scheduledFor,
    titlePattern: props.titlePattern,
    actorId: props.actorId ?? null,
    dryRun: props.dryRun ?? false,
    ...(props.seed === undefined ? {} : { seed: props.seed }),
  });
}
