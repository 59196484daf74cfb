import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiMeetingSource } from '../../contract/ingest.js';
import type { Db } from '../../db/database.js';
import type { AppContext } from '../../http/context.js';
import { commonErrors, errorBody } from '../../http/errorShape.js';
import { notFound } from '../../lib/errors.js';
import { requireScope, requireSource } from '../auth/apiTokens.js';
import {
  CANCELLED_MARK,
  cancelByExternalId,
  changeTimeIsNear,
  type UpsertOutcome,
  upsertExternalMeeting,
} from '../meetings/external.js';
import { meetingBySourceId } from '../meetings/queries.js';
import { sourceOrigin } from '../meetings/settings.js';
import { introRecipients } from '../notifications/reach.js';
import { checkedTemplate } from '../notifications/templates.js';
import { normaliseEmail, normaliseUsername } from '../people/email.js';
import type { PersonRow } from '../people/presenters.js';
import { findPeopleBy } from '../people/queries.js';

const tags = ['meetings'];

const params = z.object({
  source: apiMeetingSource,
  externalId: z
    .string()
    .min(1)
    .max(200)
    // Convene renames a cancelled meeting's key to `<id>:cancelled:<meetingId>` to free <id>; a caller
    // holding such a key would make that rename, and every later PUT of <id>, a unique violation.
    .refine((id) => !id.includes(CANCELLED_MARK), `must not contain "${CANCELLED_MARK}" (Convene's own form)`),
});

/**
 * A message template, checked as the mixers check theirs: one that does not parse, or names an
 * unknown variable, would be stored and then fail at every send.
 */
const template = checkedTemplate(z.string().max(4000)).nullable().optional();

const body = z
  .object({
    title: z.string().trim().min(1, 'must not be empty').max(200),
    startsAt: z.iso.datetime({
      offset: true,
      // Without an offset the time could be anywhere's: say so, with the caller's own time fixed.
      error: ({ input }) =>
        typeof input === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(input)
          ? `has no time zone offset: end it with Z (UTC) or an offset such as +02:00, as in ${input}Z or ${input}+02:00`
          : 'must be an ISO 8601 time such as 2030-01-15T09:30:00Z',
    }),
    durationMinutes: z
      .number()
      .int()
      .min(5)
      .max(24 * 60)
      .default(30),
    participants: z.array(z.string().trim().min(1).max(254)).min(1, 'must name at least one person').max(100),
    /** The caller's own change time: an older update arriving late changes nothing. */
    updatedAt: z.iso
      .datetime({ offset: true })
      // A change time far ahead would make every later real update look older, so 'stale', for ever.
      .refine(changeTimeIsNear, 'must not be more than 24 hours ahead of now')
      .optional(),
    messages: z
      .object({
        originName: z.string().trim().min(1).max(100).optional(),
        introTemplate: template,
        reminderTemplate: template,
        reminderMinutes: z
          .number()
          .int()
          .min(0)
          .max(7 * 24 * 60)
          .optional(),
        followUpDays: z.number().int().min(1).max(60).nullable().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

const upserted = z.object({
  meetingId: z.string(),
  outcome: z.enum(['created', 'updated', 'unchanged', 'stale']),
  /**
   * With `created` only: whether anyone is sent an introduction (false: its time has passed, or no
   * channel reaches its people).
   */
  announced: z.boolean().optional(),
  /** What became of it, in a sentence for the caller's log. */
  message: z.string(),
});

/**
 * The answer to a PUT: a meeting created with a time already past is stored but nobody is told, and
 * the caller reads that here rather than assuming its people got an introduction.
 */
export function upsertAnswer(
  result: UpsertOutcome,
  reach: { told: number; of: number } = { told: 0, of: 0 },
): z.infer<typeof upserted> {
  const { meetingId } = result;
  switch (result.outcome) {
    case 'created':
      if (!result.announced) {
        return {
          meetingId,
          outcome: 'created',
          announced: false,
          message: 'Stored: its time has passed, so nobody was told.',
        };
      }
      if (!reach.told) {
        return {
          meetingId,
          outcome: 'created',
          announced: false,
          message:
            'Created, but no channel reaches its people, so nobody was told: an administrator turns e-mail, Slack or Mattermost on under Admin → Channels.',
        };
      }
      return {
        meetingId,
        outcome: 'created',
        announced: true,
        message:
          reach.told === reach.of
            ? 'Created: its people are sent an introduction.'
            : `Created: ${reach.told} of its ${reach.of} people are sent an introduction; no channel reaches the others.`,
      };
    case 'updated':
      return { meetingId, outcome: 'updated', message: 'Updated.' };
    case 'unchanged':
      return { meetingId, outcome: 'unchanged', message: 'Unchanged: nothing differs from what is stored.' };
    case 'stale':
      return { meetingId, outcome: 'stale', message: 'Ignored: an older update than the one stored.' };
    case 'cancelled':
      // Only sources that set staysCancelled (42's) get this; the API's meetings are made anew.
      throw new Error('upsertAnswer: an API meeting is made anew after a cancel, never left cancelled');
  }
}

/**
 * People named by e-mail (with an @) or username; the ones nobody is, or only a disabled person is,
 * are listed back. Looked up in one statement per kind (in chunks), compared in the stored
 * normalised form so the unique indexes answer: a per-name `lower(email)` scan stalled the event
 * loop on SQLite with a large directory.
 */
export async function resolveParticipants(db: Db, names: string[]): Promise<{ ids: string[]; unknown: string[] }> {
  const unique = [...new Set(names)];
  const byEmail = unique.filter((name) => name.includes('@'));
  const byUsername = unique.filter((name) => !name.includes('@'));
  const enabledIds = (people: PersonRow[], key: (p: PersonRow) => string | null) =>
    new Map(people.filter((p) => p.enabled === 1).map((p) => [key(p), p.id]));
  const emails = enabledIds(await findPeopleBy(db, 'email', byEmail), (p) => p.email);
  const usernames = enabledIds(await findPeopleBy(db, 'username', byUsername), (p) => p.username);
  const ids: string[] = [];
  const unknown: string[] = [];
  for (const name of unique) {
    const id = name.includes('@') ? emails.get(normaliseEmail(name)) : usernames.get(normaliseUsername(name));
    if (id) ids.push(id);
    else unknown.push(name);
  }
  return { ids, unknown };
}

/**
 * Refuses a caller who may not write meetings before the body is read: an anonymous request must
 * not get its body parsed and validated (a large or deeply nested one costs the event loop) only to
 * be told 401. The handler asks again for the actor; that is a lookup on the request, no I/O.
 */
async function callerFirst(request: FastifyRequest): Promise<void> {
  requireScope(request, 'meetings:write');
  // A token limited to other sources, too; a source the API refuses anyway is left to its 400.
  const { source } = request.params as { source?: string };
  if (apiMeetingSource.safeParse(source).success) requireSource(request, source as string);
}

/** What GET answers: the meeting as the caller last sent it, and what became of it. */
const storedMeeting = z.object({
  meetingId: z.string(),
  externalId: z.string(),
  title: z.string(),
  startsAt: z.string().nullable(),
  durationMinutes: z.number().nullable(),
  /**
   * Each person once, by both the names a PUT accepts (a caller sent one of them; Convene keeps the
   * person, not the word used), as stored: lower-case. Sorted by username.
   */
  participants: z.array(z.object({ username: z.string(), email: z.string().nullable() })),
  status: z.enum(['scheduled', 'rescheduled', 'cancelled', 'done']),
  /** The caller's own change time of the update stored (`updatedAt` of its PUT); null: none sent. */
  updatedAt: z.string().nullable(),
});

/** The meeting a source knows by this id (a cancelled one too, until the id is used again), or null. */
export async function meetingBySource(
  db: Db,
  source: string,
  externalId: string,
): Promise<z.infer<typeof storedMeeting> | null> {
  const found = await meetingBySourceId(db, source, externalId);
  if (!found) return null;
  const { meeting, people } = found;
  const participants = [...people].sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0));
  return {
    meetingId: meeting.id,
    externalId,
    title: meeting.title,
    startsAt: meeting.starts_at,
    durationMinutes: meeting.duration_minutes,
    participants,
    status: meeting.status,
    updatedAt: meeting.external_updated_at,
  };
}

/**
 * The meetings API for any outside source, authenticated by an API token with meetings:write (or
 * a signed-in admin): read, create-or-update and cancel by (source, external id). A token limited
 * to some sources may use only those.
 */
export function meetingsBySourceRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const { db } = ctx.database;
  return async (app) => {
    // The DELETE has no body, but many clients send `Content-Type: application/json` with every
    // request: an empty body is then nothing to read, not Fastify's "Body cannot be empty" 400. Any
    // other body is read by Fastify's own JSON parser, as everywhere else.
    const json = app.getDefaultJsonParser('error', 'error');
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, text, done) => {
      if (request.method === 'DELETE' && text === '') return done(null, undefined);
      json(request, text as string, done);
    });
    app.get(
      '/meetings/by-source/:source/:externalId',
      {
        schema: {
          tags,
          description:
            'The meeting a source knows by this id, as stored: what a caller reads back after a timeout. A cancelled one is there (status `cancelled`) until a PUT makes it anew. Needs an API token with meetings:write.',
          security: [{ bearer: [] }],
          params,
          response: { 200: storedMeeting, ...commonErrors },
        },
        onRequest: callerFirst,
      },
      async (request) => {
        requireScope(request, 'meetings:write');
        const { source, externalId } = request.params;
        requireSource(request, source);
        const found = await meetingBySource(db, source, externalId);
        if (!found) throw notFound(`No meeting of “${source}” has the id “${externalId}”.`);
        return found;
      },
    );

    app.put(
      '/meetings/by-source/:source/:externalId',
      {
        schema: {
          tags,
          description:
            'Creates or updates the meeting a source knows by this id. A new meeting whose time has passed is stored but nobody is told (`announced: false`). Needs an API token with meetings:write.',
          security: [{ bearer: [] }],
          params,
          body,
          response: { 200: upserted, 422: errorBody, ...commonErrors },
        },
        onRequest: callerFirst,
      },
      async (request, reply) => {
        const { actorId, apiToken } = requireScope(request, 'meetings:write');
        const { source, externalId } = request.params;
        requireSource(request, source);
        const input = request.body;
        const people = await resolveParticipants(db, input.participants);
        if (people.unknown.length) {
          return reply.code(422).send({
            error: {
              code: 'unprocessable',
              field: 'participants',
              message: `participants: nobody is ${people.unknown.map((n) => JSON.stringify(n)).join(', ')}. Add them first (Admin → People, or a directory import), or name them by another e-mail or username.`,
            },
          });
        }
        const messages = input.messages ?? {};
        const result = await upsertExternalMeeting({
          db,
          actorId,
          apiToken,
          meeting: {
            source,
            externalId,
            title: input.title,
            startsAt: input.startsAt,
            durationMinutes: input.durationMinutes,
            participantIds: people.ids,
            updatedAt: input.updatedAt ? new Date(input.updatedAt).toISOString() : null,
            settings: {
              origin: sourceOrigin(source),
              originName: messages.originName ?? source,
              ...(messages.introTemplate !== undefined && { introTemplate: messages.introTemplate }),
              ...(messages.reminderTemplate !== undefined && { reminderTemplate: messages.reminderTemplate }),
              ...(messages.reminderMinutes !== undefined && { reminderMinutes: messages.reminderMinutes }),
              ...(messages.followUpDays !== undefined && { followUpDays: messages.followUpDays }),
            },
          },
        });
        const told =
          result.outcome === 'created' && result.announced
            ? ((await introRecipients(db, [result.meetingId], ['pending', 'sending', 'sent'])).get(result.meetingId)
                ?.size ?? 0)
            : 0;
        return upsertAnswer(result, { told, of: people.ids.length });
      },
    );

    app.delete(
      '/meetings/by-source/:source/:externalId',
      {
        schema: {
          tags,
          description: 'Cancels the meeting and tells its people; an unknown id changes nothing.',
          security: [{ bearer: [] }],
          params,
          response: { 200: z.object({ meetingId: z.string().nullable(), cancelled: z.boolean() }), ...commonErrors },
        },
        onRequest: callerFirst,
      },
      async (request) => {
        const { actorId, apiToken } = requireScope(request, 'meetings:write');
        requireSource(request, request.params.source);
        return cancelByExternalId({ db, actorId, apiToken, ...request.params });
      },
    );
  };
}
