import type { Executor } from '../../db/database.js';
import type { Intra42Api } from '../../integrations/intra42.js';
import { AppError } from '../../lib/errors.js';
import {
  cancelByExternalIdIn,
  type ExternalMeeting,
  type UpsertOutcome,
  upsertExternalMeetingIn,
  upsertExternalMeetingsIn,
} from '../meetings/external.js';
import { sourceOrigin } from '../meetings/settings.js';
import type { NamedIdentity } from '../people/ensurePerson.js';
import { personIdsByExternalId } from '../people/queries.js';
import { isLogin, type ScaleTeam, type ScaleTeamEvent } from './intra42Contract.js';
import { INTRA42_SOURCE } from './people.js';

/** How a delivery ended, in terms both the HTTP endpoint and the queue consumer answer with. */
export interface IngestResult {
  outcome: 'ok' | 'ignored' | 'rejected';
  status: number;
  message: string;
  field?: string;
  meetingId?: string | null;
}

export const INTRA42_SETTINGS = {
  origin: sourceOrigin(INTRA42_SOURCE),
  originName: '42 evaluations',
  reminderMinutes: 15,
};

const rejected = (status: number, field: string, message: string): IngestResult => ({
  outcome: 'rejected',
  status,
  field,
  message,
});

/** What one scale_team event will change, worked out before any transaction (42 API calls included). */
export type ScaleTeamPlan =
  | { kind: 'destroy'; externalId: string; updatedAt: string | null }
  | {
      kind: 'upsert';
      meeting: Omit<ExternalMeeting, 'participantIds'>;
      people: NamedIdentity[];
      /** Where each login is in the body (`user.login`, `team.users[1].login`): a 409 names it. */
      fields: ReadonlyMap<string, string>;
    };

/**
 * One scale_team event, checked: create and update both upsert the meeting (source intra42,
 * external id = the scale team id) with the evaluator and the team; destroy cancels it. The team's
 * logins come from the payload, else from the 42 API; a login nobody here has yet gets the e-mail
 * the 42 API knows, else login@emailDomain. An event that cannot make a meeting is refused here.
 */
export async function planScaleTeam(props: {
  db: Executor;
  event: ScaleTeamEvent;
  body: ScaleTeam;
  api: Intra42Api | null;
  emailDomain: string;
}): Promise<ScaleTeamPlan | IngestResult> {
  const { body } = props;
  const externalId = String(body.id);
  if (props.event === 'destroy') return { kind: 'destroy', externalId, updatedAt: body.updated_at ?? null };

  const evaluator = body.user?.login;
  if (!evaluator) {
    return rejected(422, 'user.login', 'user.login: missing: this evaluation is automatic, no meeting is needed.');
  }
  if (!body.begin_at) return rejected(422, 'begin_at', 'begin_at: required for a create or update.');
  if (!body.team) return rejected(422, 'team', 'team: required for a create or update.');

  let team: Array<{ login: string; email: string | null }>;
  if (body.team.users?.length) {
    team = body.team.users.map((u) => ({ login: u.login, email: null }));
  } else if (props.api) {
    team = await props.api.teamUsers(body.team.id);
    if (!team.length)
      return rejected(422, 'team.users', `team.users: the 42 API knows no users in team ${body.team.id}.`);
    const odd = team.find((member) => !isLogin(member.login));
    if (odd) {
      const shown = JSON.stringify(odd.login.slice(0, 60));
      return rejected(422, 'team.users', `team.users: the 42 API gave ${shown} for team ${body.team.id}, not a login.`);
    }
  } else {
    const said = body.team.users ? 'empty' : 'missing';
    return rejected(422, 'team.users', `team.users: ${said}, and the 42 API is not configured to look them up.`);
  }

  const fields = new Map<string, string>([[evaluator, 'user.login']]);
  team.forEach((member, i) => {
    if (!fields.has(member.login))
      fields.set(member.login, body.team?.users?.length ? `team.users[${i}].login` : 'team.users');
  });
  const logins = new Map<string, string | null>([[evaluator, null]]);
  for (const member of team) if (!logins.has(member.login) || member.email) logins.set(member.login, member.email);
  if (logins.size < 2) {
    return rejected(422, 'team.users', `team.users: only the evaluator ${evaluator}: a meeting needs someone to meet.`);
  }
  const api = props.api;
  if (api) {
    // Only a login nobody here has yet needs an e-mail: ask the 42 API for those alone.
    const asked = [...logins].filter(([, email]) => !email).map(([login]) => login);
    const known = asked.length ? await personIdsByExternalId(props.db, INTRA42_SOURCE, asked) : new Map();
    for (const login of asked) {
      if (!known.has(login)) logins.set(login, (await api.user(login))?.email ?? null);
    }
  }
  const people = [...logins].map(([login, email]) => ({
    externalId: login,
    username: login,
    email: email ?? `${login}@${props.emailDomain}`,
    name: login,
    timezone: 'UTC',
  }));
  return {
    kind: 'upsert',
    people,
    fields,
    meeting: {
      source: INTRA42_SOURCE,
      externalId,
      title: body.team.name ? `Evaluation: ${body.team.name}` : `Evaluation ${externalId}`,
      startsAt: body.begin_at,
      durationMinutes: body.scale?.duration ? Math.max(1, Math.round(body.scale.duration / 60)) : 30,
      settings: INTRA42_SETTINGS,
      updatedAt: body.updated_at ?? null,
      // A destroyed scale team is gone from the intranet: an update arriving after it is a late retry.
      staysCancelled: true,
    },
  };
}

/**
 * Carries out a plan in the caller's transaction, with its people already found or added
 * (`personIds`: login → person id, or the conflict that login met, thrown here).
 */
export async function applyScaleTeam(
  trx: Executor,
  plan: ScaleTeamPlan,
  personIds: ReadonlyMap<string, string | AppError>,
  now?: Date,
): Promise<IngestResult> {
  if (plan.kind === 'destroy') {
    const { externalId } = plan;
    const result = await cancelByExternalIdIn(trx, { source: INTRA42_SOURCE, externalId, updatedAt: plan.updatedAt });
    if (!result.meetingId)
      return { outcome: 'ignored', status: 200, message: `No meeting for scale team ${externalId}.` };
    return {
      outcome: result.cancelled ? 'ok' : 'ignored',
      status: 200,
      message: result.cancelled
        ? `Cancelled scale team ${externalId}.`
        : `Scale team ${externalId} was already ${result.already === 'done' ? 'over' : 'cancelled'}.`,
      meetingId: result.meetingId,
    };
  }
  const result = await upsertExternalMeetingIn(trx, {
    meeting: meetingOf(plan, personIds),
    ...(now && { now }),
  });
  return upserted(plan, result);
}

/**
 * `applyScaleTeam` for a batch's plans, in their order, with most of the work done once for all:
 * the scale teams new here are made together (`upsertExternalMeetingsIn`). A scale team that a
 * destroy in the batch names has all its plans carried out one by one, in order, after the others
 * (scale teams are independent: only the order within one matters).
 */
export async function applyScaleTeams(
  trx: Executor,
  plans: readonly ScaleTeamPlan[],
  personIds: ReadonlyMap<string, string | AppError>,
  now?: Date,
): Promise<IngestResult[]> {
  const destroyed = new Set(plans.flatMap((p) => (p.kind === 'destroy' ? [p.externalId] : [])));
  const together: number[] = [];
  const alone: number[] = [];
  plans.forEach((plan, i) => {
    const externalId = plan.kind === 'destroy' ? plan.externalId : plan.meeting.externalId;
    (destroyed.has(externalId) ? alone : together).push(i);
  });
  const results: IngestResult[] = new Array(plans.length);
  const upserts = together.map((i) => plans[i] as ScaleTeamPlan & { kind: 'upsert' });
  const outcomes = await upsertExternalMeetingsIn(
    trx,
    upserts.map((plan) => meetingOf(plan, personIds)),
    now ? { now } : {},
  );
  together.forEach((i, n) => {
    results[i] = upserted(upserts[n] as ScaleTeamPlan & { kind: 'upsert' }, outcomes[n] as UpsertOutcome);
  });
  for (const i of alone) results[i] = await applyScaleTeam(trx, plans[i] as ScaleTeamPlan, personIds, now);
  return results;
}

/** The meeting a plan describes, with its people's ids (a login that met a conflict throws it). */
function meetingOf(
  plan: ScaleTeamPlan & { kind: 'upsert' },
  personIds: ReadonlyMap<string, string | AppError>,
): ExternalMeeting {
  const participantIds = plan.people.map((p) => {
    const id = personIds.get(p.externalId);
    if (id instanceof AppError) {
      // The people service names its own field (email, username): the sender needs the body's.
      const field = plan.fields.get(p.externalId) ?? 'team.users';
      throw new AppError(id.code, `${field} "${p.externalId}": ${id.message}`, field, id.headers);
    }
    if (!id) throw new Error(`intra42 person ${p.externalId} was not looked up`);
    return id;
  });
  return { ...plan.meeting, participantIds };
}

function upserted(plan: ScaleTeamPlan & { kind: 'upsert' }, result: UpsertOutcome): IngestResult {
  const said: Record<string, string> = {
    created: 'announced' in result && !result.announced ? 'Stored (already past, nobody told)' : 'Created',
    updated: 'Updated',
    unchanged: 'Unchanged',
    stale: 'Ignored: an older update than the one stored',
    cancelled:
      'Ignored: the evaluation was cancelled (destroyed at the intranet, or cancelled in Convene), and an update does not bring it back',
  };
  return {
    outcome: result.outcome === 'stale' || result.outcome === 'cancelled' ? 'ignored' : 'ok',
    status: 200,
    message: `${said[result.outcome]}: scale team ${plan.meeting.externalId}.`,
    meetingId: result.meetingId,
  };
}
