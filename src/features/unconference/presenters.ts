import type {
  AdminEventView,
  EventView,
  InterestCounts,
  InterestLevel,
  ProposalDetail,
  ProposalView,
  TimetableView,
  ViewerView,
} from '../../contract/unconference.js';
import type { Executor } from '../../db/database.js';
import type { PersonRow } from '../people/presenters.js';
import { endClock, utcToZoned } from './clock.js';
import { shuffledForPerson } from './order.js';
import { countsPublic } from './phase.js';
import { can } from './policy.js';
import { eventTarget } from './proposals.js';
import {
  allowedSlotsOf,
  countOwnedProposals,
  effectiveProposalLimit,
  type OwnerRow,
  ownersOf,
  proposalsOfEvent,
  type Timetable,
  type UnconfEventRow,
  type UnconfProposalRow,
} from './queries.js';

export async function presentEvent(db: Executor, event: UnconfEventRow): Promise<EventView> {
  const target = eventTarget(event);
  const counts = await db
    .selectFrom('unconf_proposals')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('event_id', '=', event.id)
    .where('status', '=', 'approved')
    .executeTakeFirstOrThrow();
  return {
    id: event.id,
    name: event.name,
    descriptionHtml: event.description_html,
    timezone: event.settings.timezone,
    phase: target.phase,
    websiteActive: event.settings.website_active === 1,
    scheduleVisible: event.settings.schedule_visible === 1,
    proposalLimit: await effectiveProposalLimit(db, event),
    videoRooms: event.settings.video_rooms === 1,
    schedulingAt: event.settings.scheduling_at,
    publishAt: event.settings.publish_at,
    finishAt: event.settings.finish_at,
    countsVisible: countsPublic(target.phase),
    proposalCount: Number(counts.n),
  };
}

export async function presentEventForAdmin(db: Executor, event: UnconfEventRow): Promise<AdminEventView> {
  const pending = await db
    .selectFrom('unconf_proposals')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('event_id', '=', event.id)
    .where((eb) => eb.or([eb('status', '=', 'pending'), eb('edit_pending', '=', 1)]))
    .executeTakeFirstOrThrow();
  return {
    ...(await presentEvent(db, event)),
    description: event.description,
    proposalLimitSetting: event.settings.proposal_limit,
    pendingCount: Number(pending.n),
    createdAt: event.created_at,
    updatedAt: event.updated_at,
  };
}

export function presentTimetable(event: UnconfEventRow, timetable: Timetable): TimetableView {
  const tz = event.settings.timezone;
  return {
    days: timetable.days.map((day) => ({
      id: day.id,
      date: day.date,
      label: day.label,
      slots: timetable.slots
        .filter((slot) => slot.day_id === day.id)
        .map((slot) => ({
          id: slot.id,
          dayId: slot.day_id,
          startsAt: slot.starts_at,
          endsAt: slot.ends_at,
          start: utcToZoned(slot.starts_at, tz).time,
          end: endClock(slot.starts_at, slot.ends_at, day.date, tz),
          isBreak: slot.is_break === 1,
          label: slot.label,
          locked: slot.locked === 1,
        })),
    })),
    rooms: timetable.rooms.map((room) => ({
      id: room.id,
      name: room.name,
      capacity: room.capacity,
      url: room.url,
      isPlace: room.is_place === 1,
    })),
  };
}

export async function presentViewer(
  db: Executor,
  event: UnconfEventRow,
  viewer: PersonRow | null,
): Promise<ViewerView | null> {
  if (!viewer) return null;
  const target = eventTarget(event);
  return {
    isAdmin: viewer.role === 'admin',
    proposalsOwned: await countOwnedProposals(db, event.id, viewer.id),
    canPropose: can(viewer, 'propose', target),
    canRate: can(viewer, 'rate', target),
  };
}

function emptyCounts(): InterestCounts {
  return { none: 0, little: 0, yes: 0, very: 0 };
}
const bucket: Record<number, keyof InterestCounts> = { 0: 'none', 25: 'little', 75: 'yes', 100: 'very' };

/**
 * The proposals a viewer may see, as they may see them: approved ones for everyone (with the
 * approved text while an edit waits), plus their own and, for admins, all. Signed in: the viewer's
 * own shuffle and ratings. Interest counts once published, or for admins; owners count as Very.
 */
export async function proposalsForViewer(
  db: Executor,
  event: UnconfEventRow,
  viewer: PersonRow | null,
  only?: string,
): Promise<ProposalDetail[]> {
  const admin = viewer?.role === 'admin';
  let rows = await proposalsOfEvent(db, event.id);
  if (only) rows = rows.filter((row) => row.id === only);
  const ids = rows.map((row) => row.id);
  const owners = await ownersOf(db, ids);
  const ownsIt = (row: UnconfProposalRow) =>
    viewer ? ((owners.get(row.id) ?? []).find((owner) => owner.person_id === viewer.id)?.role ?? null) : null;
  rows = rows.filter((row) => row.status === 'approved' || admin || ownsIt(row));

  const target = eventTarget(event);
  const showCounts = can(viewer, 'see_counts', target);
  const counts = new Map<string, InterestCounts>();
  const mineByProposal = new Map<string, InterestLevel>();
  if (ids.length) {
    if (showCounts) {
      const grouped = await db
        .selectFrom('unconf_interests')
        .select(['proposal_id', 'level', (eb) => eb.fn.countAll<string | number>().as('n')])
        .where('event_id', '=', event.id)
        .groupBy(['proposal_id', 'level'])
        .execute();
      for (const row of grouped) {
        const entry = counts.get(row.proposal_id) ?? emptyCounts();
        entry[bucket[row.level] as keyof InterestCounts] += Number(row.n);
        counts.set(row.proposal_id, entry);
      }
    }
    if (viewer) {
      const mine = await db
        .selectFrom('unconf_interests')
        .select(['proposal_id', 'level'])
        .where('event_id', '=', event.id)
        .where('person_id', '=', viewer.id)
        .execute();
      for (const row of mine) mineByProposal.set(row.proposal_id, row.level);
    }
  }
  const allowed = admin ? await allowedSlotsOf(db, ids) : new Map<string, string[]>();

  const present = (row: UnconfProposalRow): ProposalDetail => {
    const ownership = ownsIt(row);
    const list: OwnerRow[] = owners.get(row.id) ?? [];
    const seesCurrent = admin || ownership !== null;
    const showApproved = !seesCurrent && row.edit_pending === 1 && row.approved_title !== null;
    let interest: InterestCounts | null = null;
    if (showCounts) {
      interest = { ...(counts.get(row.id) ?? emptyCounts()) };
      interest.very += list.length;
    }
    const view: ProposalView & { description?: string } = {
      id: row.id,
      eventId: row.event_id,
      title: showApproved ? (row.approved_title as string) : row.title,
      descriptionHtml: showApproved ? (row.approved_description_html ?? '') : row.description_html,
      owners: list.map((owner) => ({
        id: owner.person_id,
        name: owner.name,
        username: owner.username,
        role: owner.role,
      })),
      createdAt: row.created_at,
      status: row.status,
      editPending: row.edit_pending === 1,
      mine: ownership !== null,
      myInterest: ownership ? 100 : (mineByProposal.get(row.id) ?? null),
      interest,
      ...(admin && { allowedSlotIds: allowed.get(row.id) ?? [] }),
      ...(seesCurrent && { description: row.description }),
    };
    return view;
  };
  const ordered = viewer ? shuffledForPerson(viewer.id, rows, (row) => row.id) : rows;
  return ordered.map(present);
}
