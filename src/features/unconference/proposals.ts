import type { CreateProposalInput, UpdateProposalInput } from '../../contract/unconference.js';
import { recordAudit } from '../../db/audit.js';
import type { Db, Executor, Tx } from '../../db/database.js';
import { lockRow } from '../../db/rowLock.js';
import { badRequest, conflict, notFound } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { renderMarkdown } from '../../lib/markdown/index.js';
import { nowIso } from '../../lib/time.js';
import type { PersonRow } from '../people/presenters.js';
import { findPersonByLogin } from '../people/queries.js';
import { titleGuard, titleKey, titleTaken } from '../proposals/titles.js';
import { unconferencePhaseAt } from './phase.js';
import { authorize, type PolicyTarget } from './policy.js';
import {
  countOwnedProposals,
  effectiveProposalLimit,
  findProposal,
  findUnconferenceEvent,
  type UnconfEventRow,
  type UnconfProposalRow,
} from './queries.js';

/** Who proposes or edits: the signed-in person (verified or not decides moderation). */
export type ProposalActor = Pick<PersonRow, 'id' | 'role' | 'verified'>;

/** A proposal by an unverified member waits for an administrator. */
const needsApproval = (actor: ProposalActor) => actor.role !== 'admin' && actor.verified !== 1;

export function eventTarget(event: UnconfEventRow, now = nowIso()): PolicyTarget {
  return {
    phase: unconferencePhaseAt({ phase: event.phase, ...event.settings }, now),
    websiteActive: event.settings.website_active === 1,
  };
}

export async function ownershipOf(
  db: Executor,
  proposalId: string,
  personId: string | undefined,
): Promise<'owner' | 'co-owner' | null> {
  if (!personId) return null;
  const row = await db
    .selectFrom('unconf_owners')
    .select('role')
    .where('proposal_id', '=', proposalId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
  return row?.role ?? null;
}

export async function loadProposal(
  db: Executor,
  proposalId: string,
): Promise<{ proposal: UnconfProposalRow; event: UnconfEventRow }> {
  const proposal = await findProposal(db, proposalId);
  const event = proposal && (await findUnconferenceEvent(db, proposal.event_id));
  if (!proposal || !event) throw notFound('No such proposal.');
  return { proposal, event };
}

/** Co-owners named by username or e-mail: enabled people other than the proposer, each once. */
async function findCoOwners(db: Executor, logins: string[], ownerId: string): Promise<string[]> {
  const ids: string[] = [];
  for (const [index, login] of logins.entries()) {
    const person = await findPersonByLogin(db, login);
    if (!person || person.enabled !== 1) {
      throw badRequest(`coOwners[${index}]: nobody with the username or e-mail "${login}".`, `coOwners[${index}]`);
    }
    if (person.id !== ownerId && !ids.includes(person.id)) ids.push(person.id);
  }
  return ids;
}

/** Sets the co-owners; their own ratings of the proposal go (owners count as Very, never stored). */
async function writeCoOwners(trx: Tx, proposal: UnconfProposalRow, ownerId: string, coOwnerIds: string[]) {
  await trx.deleteFrom('unconf_owners').where('proposal_id', '=', proposal.id).where('role', '=', 'co-owner').execute();
  if (!coOwnerIds.length) return;
  await trx
    .insertInto('unconf_owners')
    .values(
      coOwnerIds
        .filter((id) => id !== ownerId)
        .map((person_id) => ({
          proposal_id: proposal.id,
          person_id,
          event_id: proposal.event_id,
          role: 'co-owner' as const,
        })),
    )
    .execute();
  await trx
    .deleteFrom('unconf_interests')
    .where('proposal_id', '=', proposal.id)
    .where('person_id', 'in', coOwnerIds)
    .execute();
}

/**
 * A signed-in person proposes a session. Members are held to the event's limit (admins are not);
 * an unverified member's proposal waits, hidden, until an administrator approves it.
 */
export async function createProposal(props: {
  db: Db;
  actor: ProposalActor;
  eventId: string;
  input: CreateProposalInput;
  /** Test mode's generated proposals. */
  isFake?: boolean;
}): Promise<UnconfProposalRow> {
  const { actor, input } = props;
  const descriptionHtml = await renderMarkdown(input.description, 'description');
  return titleGuard(() =>
    props.db.transaction().execute(async (trx) => {
      const event = await findUnconferenceEvent(trx, props.eventId);
      if (!event) throw notFound('No such event.');
      const target = eventTarget(event);
      authorize(actor, 'propose', target);
      if (actor.role !== 'admin') {
        // Proposals to one event take turns on its settings row (src/db/rowLock.ts), so one person's
        // simultaneous proposals cannot pass the limit together.
        await lockRow(trx, 'unconf_settings', event.id);
        const limit = await effectiveProposalLimit(trx, event);
        if (limit !== null && (await countOwnedProposals(trx, event.id, actor.id)) >= limit) {
          throw conflict(
            `You have already proposed ${limit} session${limit === 1 ? '' : 's'}, the most this event allows per person.`,
          );
        }
      }
      const coOwners = await findCoOwners(trx, input.coOwners, actor.id);
      const key = titleKey(input.title);
      const taken = await trx
        .selectFrom('unconf_proposals')
        .select('id')
        .where('event_id', '=', event.id)
        .where('title_key', '=', key)
        .executeTakeFirst();
      if (taken) throw titleTaken();
      const now = nowIso();
      const row: UnconfProposalRow = {
        id: newId(),
        event_id: event.id,
        created_by: actor.id,
        title: input.title,
        title_key: key,
        description: input.description,
        description_html: descriptionHtml,
        status: needsApproval(actor) ? 'pending' : 'approved',
        approved_title: null,
        approved_description: null,
        approved_description_html: null,
        edit_pending: 0,
        pinned_slot_id: null,
        pinned_room_id: null,
        is_fake: props.isFake ? 1 : 0,
        created_at: now,
        updated_at: now,
      };
      await trx.insertInto('unconf_proposals').values(row).execute();
      await trx
        .insertInto('unconf_owners')
        .values({ proposal_id: row.id, person_id: actor.id, event_id: event.id, role: 'owner' })
        .execute();
      await writeCoOwners(trx, row, actor.id, coOwners);
      await recordAudit(trx, {
        actorId: actor.id,
        action: 'unconference.proposal.create',
        subjectType: 'unconf_proposal',
        subjectId: row.id,
        data: { eventId: event.id, status: row.status, coOwners },
      });
      return row;
    }),
  );
}

/**
 * Its owners change a proposal while proposals are open; admins at any time. An unverified
 * member's edit to an approved proposal waits for approval, the approved text staying public.
 */
export async function updateProposal(props: {
  db: Db;
  actor: ProposalActor;
  proposalId: string;
  changes: UpdateProposalInput;
}): Promise<UnconfProposalRow> {
  const { actor, changes } = props;
  const descriptionHtml =
    changes.description !== undefined ? await renderMarkdown(changes.description, 'description') : undefined;
  return titleGuard(() =>
    props.db.transaction().execute(async (trx) => {
      const { proposal, event } = await loadProposal(trx, props.proposalId);
      const ownership = await ownershipOf(trx, proposal.id, actor.id);
      authorize(actor, 'edit_proposal', { ...eventTarget(event), ownership, status: proposal.status });
      const owner = await trx
        .selectFrom('unconf_owners')
        .select('person_id')
        .where('proposal_id', '=', proposal.id)
        .where('role', '=', 'owner')
        .executeTakeFirst();
      if (changes.coOwners !== undefined) {
        const ownerId = owner?.person_id ?? actor.id;
        await writeCoOwners(trx, proposal, ownerId, await findCoOwners(trx, changes.coOwners, ownerId));
      }
      const textChanges =
        (changes.title !== undefined && changes.title !== proposal.title) ||
        (changes.description !== undefined && changes.description !== proposal.description);
      if (changes.title !== undefined) {
        const key = titleKey(changes.title);
        const taken = await trx
          .selectFrom('unconf_proposals')
          .select('id')
          .where('event_id', '=', proposal.event_id)
          .where('title_key', '=', key)
          .where('id', '!=', proposal.id)
          .executeTakeFirst();
        if (taken) throw titleTaken();
      }
      // The first waiting edit keeps what was approved, for the public and for a "discard edit".
      const holdApproved =
        textChanges && needsApproval(actor) && proposal.status === 'approved' && !proposal.edit_pending;
      await trx
        .updateTable('unconf_proposals')
        .set({
          ...(changes.title !== undefined && { title: changes.title, title_key: titleKey(changes.title) }),
          ...(changes.description !== undefined && {
            description: changes.description,
            description_html: descriptionHtml,
          }),
          ...(holdApproved && {
            edit_pending: 1,
            approved_title: proposal.title,
            approved_description: proposal.description,
            approved_description_html: proposal.description_html,
          }),
          updated_at: nowIso(),
        })
        .where('id', '=', proposal.id)
        .execute();
      await recordAudit(trx, {
        actorId: actor.id,
        action: 'unconference.proposal.update',
        subjectType: 'unconf_proposal',
        subjectId: proposal.id,
        data: { fields: Object.keys(changes), waitsForApproval: holdApproved || proposal.edit_pending === 1 },
      });
      return (await findProposal(trx, proposal.id)) as UnconfProposalRow;
    }),
  );
}

/** Its proposer withdraws a proposal while proposals are open (admins at any time); ratings go with it. */
export async function withdrawProposal(props: { db: Db; actor: ProposalActor; proposalId: string }): Promise<void> {
  await props.db.transaction().execute(async (trx) => {
    const { proposal, event } = await loadProposal(trx, props.proposalId);
    const ownership = await ownershipOf(trx, proposal.id, props.actor.id);
    authorize(props.actor, 'withdraw_proposal', { ...eventTarget(event), ownership, status: proposal.status });
    await trx.deleteFrom('unconf_proposals').where('id', '=', proposal.id).execute();
    await recordAudit(trx, {
      actorId: props.actor.id,
      action: 'unconference.proposal.withdraw',
      subjectType: 'unconf_proposal',
      subjectId: proposal.id,
      data: { eventId: event.id, title: proposal.title },
    });
  });
}

/** An administrator approves a waiting proposal, or the waiting edit of an approved one. */
export async function approveProposal(props: { db: Db; actorId: string | null; proposalId: string }) {
  return props.db.transaction().execute(async (trx) => {
    const { proposal } = await loadProposal(trx, props.proposalId);
    await trx
      .updateTable('unconf_proposals')
      .set({
        status: 'approved',
        edit_pending: 0,
        approved_title: null,
        approved_description: null,
        approved_description_html: null,
        updated_at: nowIso(),
      })
      .where('id', '=', proposal.id)
      .execute();
    await recordAudit(trx, {
      actorId: props.actorId,
      action: 'unconference.proposal.approve',
      subjectType: 'unconf_proposal',
      subjectId: proposal.id,
      data: { edit: proposal.edit_pending === 1 },
    });
  });
}

/**
 * An administrator turns down a waiting proposal (it stays hidden, its owners see "rejected"), or
 * discards a waiting edit: the approved text comes back.
 */
export async function rejectProposal(props: { db: Db; actorId: string | null; proposalId: string }) {
  return titleGuard(() =>
    props.db.transaction().execute(async (trx) => {
      const { proposal } = await loadProposal(trx, props.proposalId);
      const edit = proposal.edit_pending === 1 && proposal.approved_title !== null;
      await trx
        .updateTable('unconf_proposals')
        .set(
          edit
            ? {
                title: proposal.approved_title as string,
                title_key: titleKey(proposal.approved_title as string),
                description: proposal.approved_description ?? '',
                description_html: proposal.approved_description_html ?? '',
                edit_pending: 0,
                approved_title: null,
                approved_description: null,
                approved_description_html: null,
                updated_at: nowIso(),
              }
            : { status: 'rejected', updated_at: nowIso() },
        )
        .where('id', '=', proposal.id)
        .execute();
      await recordAudit(trx, {
        actorId: props.actorId,
        action: edit ? 'unconference.proposal.discard_edit' : 'unconference.proposal.reject',
        subjectType: 'unconf_proposal',
        subjectId: proposal.id,
      });
    }),
  );
}

/** Speaker availability: the slots a proposal may be placed in (none = any). */
export async function setAllowedSlots(props: {
  db: Db;
  actorId: string | null;
  proposalId: string;
  slotIds: string[];
}) {
  return props.db.transaction().execute(async (trx) => {
    const { proposal } = await loadProposal(trx, props.proposalId);
    const wanted = [...new Set(props.slotIds)];
    if (wanted.length) {
      const found = await trx
        .selectFrom('unconf_slots')
        .select(['id', 'is_break'])
        .where('event_id', '=', proposal.event_id)
        .where('id', 'in', wanted)
        .execute();
      const byId = new Map(found.map((slot) => [slot.id, slot]));
      for (const [index, id] of props.slotIds.entries()) {
        const slot = byId.get(id);
        if (!slot) throw badRequest(`slotIds[${index}]: no such slot in this event.`, `slotIds[${index}]`);
        if (slot.is_break) throw badRequest(`slotIds[${index}]: is a break.`, `slotIds[${index}]`);
      }
    }
    await trx.deleteFrom('unconf_allowed_slots').where('proposal_id', '=', proposal.id).execute();
    if (wanted.length) {
      await trx
        .insertInto('unconf_allowed_slots')
        .values(wanted.map((slot_id) => ({ proposal_id: proposal.id, slot_id })))
        .execute();
    }
    await recordAudit(trx, {
      actorId: props.actorId,
      action: 'unconference.proposal.allowed_slots',
      subjectType: 'unconf_proposal',
      subjectId: proposal.id,
      data: { slots: wanted.length },
    });
  });
}
