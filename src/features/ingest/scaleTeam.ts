import type { Db } from '../../db/database.js';
import { isUniqueViolation } from '../../db/errors.js';
import type { Intra42Api } from '../../integrations/intra42.js';
import { cancelByExternalId, upsertExternalMeeting } from '../meetings/external.js';
import { sourceOrigin } from '../meetings/settings.js';
import type { ScaleTeam, ScaleTeamEvent } from './intra42Contract.js';
import { ensureIntra42Person, INTRA42_SOURCE } from './people.js';

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

/**
 * One scale_team event: create and update both upsert the meeting (source intra42, external id =
 * the scale team id) with the evaluator and the team; destroy cancels it (an unknown id changes
 * nothing). The team's logins come from the payload, else from the 42 API.
 */
export async function ingestScaleTeam(props: {
  db: Db;
  event: ScaleTeamEvent;
  body: ScaleTeam;
  api: Intra42Api | null;
  emailDomain: string;
  now?: Date;
}): Promise<IngestResult> {
  const { db, body } = props;
  const externalId = String(body.id);
  if (props.event === 'destroy') {
    const result = await cancelByExternalId({ db, source: INTRA42_SOURCE, externalId });
    if (!result.meetingId)
      return { outcome: 'ignored', status: 200, message: `No meeting for scale team ${externalId}.` };
    return {
      outcome: result.cancelled ? 'ok' : 'ignored',
      status: 200,
      message: result.cancelled ? `Cancelled scale team ${externalId}.` : `Scale team ${externalId} was already over.`,
      meetingId: result.meetingId,
    };
  }

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
  } else {
    return rejected(422, 'team.users', 'team.users: missing, and the 42 API is not configured to look them up.');
  }

  const logins = new Map<string, string | null>([[evaluator, null]]);
  for (const member of team) if (!logins.has(member.login) || member.email) logins.set(member.login, member.email);
  const participantIds: string[] = [];
  for (const [login, knownEmail] of logins) {
    participantIds.push(await personFor(db, props, login, knownEmail));
  }

  const meeting = {
    source: INTRA42_SOURCE,
    externalId,
    title: body.team.name ? `Evaluation: ${body.team.name}` : `Evaluation ${externalId}`,
    startsAt: body.begin_at,
    durationMinutes: body.scale?.duration ? Math.max(1, Math.round(body.scale.duration / 60)) : 30,
    participantIds,
    settings: INTRA42_SETTINGS,
    updatedAt: body.updated_at ?? null,
  };
  const upsert = async () => upsertExternalMeeting({ db, meeting, ...(props.now && { now: props.now }) });
  let result: Awaited<ReturnType<typeof upsertExternalMeeting>>;
  try {
    result = await upsert();
  } catch (error) {
    // Two creates of one scale team racing: the loser finds the winner's meeting and updates it.
    if (!isUniqueViolation(error)) throw error;
    result = await upsert();
  }
  const said: Record<string, string> = {
    created: 'announced' in result && !result.announced ? 'Stored (already past, nobody told)' : 'Created',
    updated: 'Updated',
    unchanged: 'Unchanged',
    stale: 'Ignored: an older update than the one stored',
  };
  return {
    outcome: result.outcome === 'stale' ? 'ignored' : 'ok',
    status: 200,
    message: `${said[result.outcome]}: scale team ${externalId}.`,
    meetingId: result.meetingId,
  };
}

async function personFor(
  db: Db,
  props: { api: Intra42Api | null; emailDomain: string },
  login: string,
  knownEmail: string | null,
): Promise<string> {
  const known = await db
    .selectFrom('external_ids')
    .select('person_id')
    .where('source', '=', INTRA42_SOURCE)
    .where('external_id', '=', login)
    .executeTakeFirst();
  if (known) return known.person_id;
  const email =
    knownEmail ?? (props.api ? (await props.api.user(login))?.email : null) ?? `${login}@${props.emailDomain}`;
  return ensureIntra42Person(db, { login, email });
}
