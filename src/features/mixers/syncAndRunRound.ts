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
 * `runRound` refuses an archived group; it is refused here too, before its chat is read.
 * `manual` and `force` are `runRound`'s: a round asked for by a person, and its confirmation.
 */
export async function syncAndRunRound(props: {
  db: Db;
  groupId: string;
  scheduledFor: Date;
  titlePattern: RegExp;
  actorId?: string | null;
  dryRun?: boolean;
  seed?: string;
  manual?: boolean;
  force?: boolean;
  /** Sync failures go to `warn`; the round made, to `info` when the logger has it. */
  log?: SyncLog & { info?(data: object, message: string): void };
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
    ...(props.manual === undefined ? {} : { manual: props.manual }),
    ...(props.force === undefined ? {} : { force: props.force }),
    ...(props.log?.info ? { log: { info: props.log.info.bind(props.log) } } : {}),
  });
}
