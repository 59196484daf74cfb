import { recordAudit } from '../../db/audit.js';
import type { Db, Executor } from '../../db/database.js';
import { badRequest, notFound } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { renderMarkdown } from '../../lib/markdown/index.js';
import { nowIso } from '../../lib/time.js';
import { assertMayTakePart } from '../people/participation.js';
import type { PersonRow } from '../people/presenters.js';
import { findPersonByLogin } from '../people/queries.js';
import { titleGuard, titleTaken } from '../proposals/titles.js';
import { listChanged } from './cache.js';
import { phaseAt } from './phase.js';
import { type Actor, authorize } from './policy.js';
import {
  type EventRow,
  findProposal,
  findProposalByTitle,
  findTalksEvent,
  type ProposalRow,
  titleKey,
} from './queries.js';
import type { CreateProposalInput, UpdateProposalInput } from './schemas.js';

function targetOf(event: EventRow, now: string, proposal?: ProposalRow) {
  return {
    phase: phaseAt(event, now),
    proposalsDuringVoting: event.proposals_during_voting === 1,
    speakerId: proposal?.speaker_id,
    hidden: proposal?.hidden === 1,
  };
}

async function findSpeaker(db: Executor, login: string): Promise<PersonRow> {
  const person = await findPersonByLogin(db, login);
  if (!person || person.enabled !== 1) throw badRequest('speaker: nobody with that username or e-mail', 'speaker');
  return person;
}

async function loadProposal(db: Executor, proposalId: string): Promise<{ proposal: ProposalRow; event: EventRow }> {
  const proposal = await findProposal(db, proposalId);
  const event = proposal && (await findTalksEvent(db, proposal.event_id));
  if (!proposal || !event) throw notFound('No such proposal.');
  return { proposal, event };
}

/** A signed-in person proposes a talk; an admin may name someone else as the speaker. */
export async function createProposal(props: {
  db: Db;
  actor: Actor;
  eventId: string;
  input: CreateProposalInput;
  /** When the proposal was made (demo data and tests); now by default. */
  at?: Date;
}): Promise<ProposalRow> {
  const { actor, input } = props;
  const now = (props.at ?? new Date()).toISOString();
  // Rendered before the transaction: it may take up to the renderer's deadline.
  const descriptionHtml = await renderMarkdown(input.description, 'description');
  const proposal = await titleGuard(() =>
    props.db.transaction().execute(async (trx) => {
      const event = await findTalksEvent(trx, props.eventId);
      if (!event) throw notFound('No such event.');
      authorize(actor, 'propose', targetOf(event, now));
      await assertMayTakePart(trx, { personId: actor.id, actor });
      let speakerId = actor.id;
      if (input.speaker !== undefined) {
        authorize(actor, 'propose_for_someone', targetOf(event, now));
        speakerId = (await findSpeaker(trx, input.speaker)).id;
      }
      const key = titleKey(input.title);
      if (await findProposalByTitle(trx, event.id, key)) throw titleTaken();
      const row: ProposalRow = {
        id: newId(),
        event_id: event.id,
        speaker_id: speakerId,
        created_by: actor.id,
        title: input.title,
        title_key: key,
        description: input.description,
        description_html: descriptionHtml,
        hidden: 0,
        hidden_reason: null,
        hidden_by: null,
        hidden_at: null,
        vote_count: 0,
        created_at: now,
        updated_at: now,
      };
      await trx.insertInto('proposals').values(row).execute();
      await recordAudit(trx, {
        actorId: actor.id,
        action: 'proposal.create',
        subjectType: 'proposal',
        subjectId: row.id,
        data: { eventId: event.id, speakerId },
      });
      return row;
    }),
  );
  listChanged(props.db, proposal.event_id);
  return proposal;
}

/** The speaker changes their proposal while proposals are open; an admin at any time. */
export async function updateProposal(props: {
  db: Db;
  actor: Actor;
  proposalId: string;
  changes: UpdateProposalInput;
}): Promise<ProposalRow> {
  const { actor, changes } = props;
  const descriptionHtml =
    changes.description !== undefined ? await renderMarkdown(changes.description, 'description') : undefined;
  const updated = await titleGuard(() =>
    props.db.transaction().execute(async (trx) => {
      const { proposal, event } = await loadProposal(trx, props.proposalId);
      const now = nowIso();
      authorize(actor, 'edit_proposal', targetOf(event, now, proposal));
      let speakerId: string | undefined;
      if (changes.speaker !== undefined) {
        authorize(actor, 'propose_for_someone', targetOf(event, now, proposal));
        speakerId = (await findSpeaker(trx, changes.speaker)).id;
      }
      const key = changes.title !== undefined ? titleKey(changes.title) : undefined;
      if (key !== undefined && key !== proposal.title_key && (await findProposalByTitle(trx, event.id, key))) {
        throw titleTaken();
      }
      await trx
        .updateTable('proposals')
        .set({
          ...(changes.title !== undefined && { title: changes.title, title_key: key }),
          ...(changes.description !== undefined && {
            description: changes.description,
            description_html: descriptionHtml,
          }),
          ...(speakerId !== undefined && { speaker_id: speakerId }),
          updated_at: now,
        })
        .where('id', '=', proposal.id)
        .execute();
      await recordAudit(trx, {
        actorId: actor.id,
        action: 'proposal.update',
        subjectType: 'proposal',
        subjectId: proposal.id,
        data: { fields: Object.keys(changes) },
      });
      return (await findProposal(trx, proposal.id)) as ProposalRow;
    }),
  );
  listChanged(props.db, updated.event_id);
  return updated;
}

/** The speaker withdraws their proposal (its votes go with it) while proposals are open. */
export async function withdrawProposal(props: { db: Db; actor: Actor; proposalId: string }): Promise<void> {
  const eventId = await props.db.transaction().execute(async (trx) => {
    const { proposal, event } = await loadProposal(trx, props.proposalId);
    authorize(props.actor, 'withdraw_proposal', targetOf(event, nowIso(), proposal));
    await trx.deleteFrom('proposals').where('id', '=', proposal.id).execute();
    await recordAudit(trx, {
      actorId: props.actor.id,
      action: 'proposal.withdraw',
      subjectType: 'proposal',
      subjectId: proposal.id,
      data: { eventId: event.id, title: proposal.title, votes: proposal.vote_count },
    });
    return event.id;
  });
  listChanged(props.db, eventId);
}

/**
 * An admin hides a proposal from every list, with a reason the speaker sees. Its votes stay (and
 * still count against each voter's limit, so unhiding cannot push anyone past it); voters may take
 * them back, nobody may add one.
 */
export async function setProposalHidden(props: {
  db: Db;
  actor: Actor;
  proposalId: string;
  hidden: boolean;
  reason?: string;
}): Promise<ProposalRow> {
  const updated = await props.db.transaction().execute(async (trx) => {
    const { proposal, event } = await loadProposal(trx, props.proposalId);
    const now = nowIso();
    authorize(props.actor, 'hide_proposal', targetOf(event, now, proposal));
    if (props.hidden && !props.reason?.trim()) throw badRequest('reason: is required', 'reason');
    await trx
      .updateTable('proposals')
      .set(
        props.hidden
          ? {
              hidden: 1,
              hidden_reason: props.reason ?? null,
              hidden_by: props.actor.id,
              hidden_at: now,
              updated_at: now,
            }
          : { hidden: 0, hidden_reason: null, hidden_by: null, hidden_at: null, updated_at: now },
      )
      .where('id', '=', proposal.id)
      .execute();
    await recordAudit(trx, {
      actorId: props.actor.id,
      action: props.hidden ? 'proposal.hide' : 'proposal.unhide',
      subjectType: 'proposal',
      subjectId: proposal.id,
      data: props.hidden ? { reason: props.reason } : undefined,
    });
    return (await findProposal(trx, proposal.id)) as ProposalRow;
  });
  listChanged(props.db, updated.event_id);
  return updated;
}
