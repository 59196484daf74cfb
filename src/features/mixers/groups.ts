import { recordAudit } from '../../db/audit.js';
import type { Db } from '../../db/database.js';
import { isUniqueViolation } from '../../db/errors.js';
import { badRequest, conflict, notFound } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { nowIso } from '../../lib/time.js';
import { renameOrigin } from '../meetings/service.js';
import { groupOrigin } from '../meetings/settings.js';
import { type Cadence, cadenceProblem, nextOccurrence } from './cadence.js';
import { findGroup, type GroupRow } from './queries.js';
import type { CreateGroupInput, UpdateGroupInput } from './schemas.js';

export const cadenceOf = (group: Pick<GroupRow, 'cron' | 'timezone' | 'every_weeks' | 'anchor_date'>): Cadence => ({
  cron: group.cron,
  timezone: group.timezone,
  everyWeeks: group.every_weeks,
  anchorDate: group.anchor_date,
});

function checkCadence(cadence: Cadence, minIntervalHours?: number): void {
  const problem = cadenceProblem(cadence, minIntervalHours);
  if (problem) throw badRequest(`${problem.field}: ${problem.message}`, problem.field);
  if (cadence.everyWeeks > 1 && !cadence.anchorDate) {
    throw badRequest(
      'anchorDate: is required when everyWeeks is more than 1 (the first week of the cycle)',
      'anchorDate',
    );
  }
}

const nameTaken = () => conflict('name: a group with this name already exists', 'name');

export async function createGroup(props: {
  db: Db;
  actorId: string | null;
  input: CreateGroupInput;
  /** `mixers.minRoundIntervalHours` from the config; default 24. */
  minIntervalHours?: number;
}): Promise<GroupRow> {
  const { input } = props;
  const cadence: Cadence = {
    cron: input.cron,
    timezone: input.timezone,
    everyWeeks: input.everyWeeks,
    anchorDate: input.anchorDate,
  };
  checkCadence(cadence, props.minIntervalHours);
  const now = nowIso();
  const group: GroupRow = {
    id: newId(),
    name: input.name,
    name_key: input.name.toLowerCase(),
    description: input.description,
    cron: input.cron,
    timezone: input.timezone,
    every_weeks: input.everyWeeks,
    anchor_date: input.anchorDate,
    size: input.size,
    odd_policy: input.oddPolicy,
    eligibility: JSON.stringify(input.eligibility),
    membership: input.membership,
    intro_template: input.introTemplate,
    reminder_minutes: input.reminderMinutes ?? 15,
    follow_up_days: input.followUpDays ?? null,
    reminder_template: input.reminderTemplate ?? null,
    follow_up_template: input.followUpTemplate ?? null,
    chat_channel: input.chatChannel ?? null,
    chat_synced_at: null,
    archived: 0,
    next_round_at: nextOccurrence(cadence, new Date())?.toISOString() ?? null,
    created_at: now,
    updated_at: now,
  };
  try {
    await props.db.transaction().execute(async (trx) => {
      await trx.insertInto('groups').values(group).execute();
      await recordAudit(trx, {
        actorId: props.actorId,
        action: 'group.create',
        subjectType: 'group',
        subjectId: group.id,
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken();
    throw error;
  }
  return group;
}

export async function updateGroup(props: {
  db: Db;
  actorId: string | null;
  groupId: string;
  changes: UpdateGroupInput;
  minIntervalHours?: number;
}): Promise<GroupRow> {
  const { changes } = props;
  try {
    return await props.db.transaction().execute(async (trx) => {
      const group = await findGroup(trx, props.groupId);
      if (!group) throw notFound('No such group.');
      const cadence: Cadence = {
        cron: changes.cron ?? group.cron,
        timezone: changes.timezone ?? group.timezone,
        everyWeeks: changes.everyWeeks ?? group.every_weeks,
        anchorDate: changes.anchorDate !== undefined ? changes.anchorDate : group.anchor_date,
      };
      const cadenceChanged =
        cadence.cron !== group.cron ||
        cadence.timezone !== group.timezone ||
        cadence.everyWeeks !== group.every_weeks ||
        cadence.anchorDate !== group.anchor_date;
      if (cadenceChanged) checkCadence(cadence, props.minIntervalHours);
      await trx
        .updateTable('groups')
        .set({
          ...(changes.name !== undefined && { name: changes.name, name_key: changes.name.toLowerCase() }),
          ...(changes.description !== undefined && { description: changes.description }),
          ...(cadenceChanged && {
            cron: cadence.cron,
            timezone: cadence.timezone,
            every_weeks: cadence.everyWeeks,
            anchor_date: cadence.anchorDate,
            next_round_at: nextOccurrence(cadence, new Date())?.toISOString() ?? null,
          }),
          ...(changes.size !== undefined && { size: changes.size }),
          ...(changes.oddPolicy !== undefined && { odd_policy: changes.oddPolicy }),
          ...(changes.eligibility !== undefined && { eligibility: JSON.stringify(changes.eligibility) }),
          ...(changes.membership !== undefined && { membership: changes.membership }),
          ...(changes.introTemplate !== undefined && { intro_template: changes.introTemplate }),
          ...(changes.reminderTemplate !== undefined && { reminder_template: changes.reminderTemplate }),
          ...(changes.followUpTemplate !== undefined && { follow_up_template: changes.followUpTemplate }),
          ...(changes.reminderMinutes !== undefined && { reminder_minutes: changes.reminderMinutes }),
          ...(changes.followUpDays !== undefined && { follow_up_days: changes.followUpDays }),
          ...(changes.chatChannel !== undefined && { chat_channel: changes.chatChannel }),
          ...(changes.archived !== undefined && { archived: changes.archived ? 1 : 0 }),
          updated_at: nowIso(),
        })
        .where('id', '=', group.id)
        .execute();
      if (changes.name !== undefined && changes.name !== group.name) {
        await renameOrigin(trx, groupOrigin(group.id), changes.name);
      }
      await recordAudit(trx, {
        actorId: props.actorId,
        action: 'group.update',
        subjectType: 'group',
        subjectId: group.id,
        data: { fields: Object.keys(changes) },
      });
      const updated = await findGroup(trx, group.id);
      if (!updated) throw notFound('No such group.');
      return updated;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken();
    throw error;
  }
}

export async function listGroups(db: Db, options: { includeArchived?: boolean } = {}): Promise<GroupRow[]> {
  let query = db.selectFrom('groups').selectAll().orderBy('name_key');
  if (!options.includeArchived) query = query.where('archived', '=', 0);
  return query.execute();
}
