import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  changelogSchema,
  consoleSchema,
  eventParams,
  lockBody,
  moveBody,
  movePreviewSchema,
  pinBody,
  proposalParams,
  publishBody,
  publishResultSchema,
  runEnvelope,
  runParams,
  slotParams,
  startRunBody,
} from '../../contract/unconferenceSchedule.js';
import type { AppContext } from '../../http/context.js';
import { requireAdmin } from '../../http/context.js';
import { commonErrors } from '../../http/errorShape.js';
import { applyMove, type PlannedMove, previewMove, setSessionPin, setSlotLocked } from './moves.js';
import { publishSchedule, scheduleChangelog } from './publish.js';
import { scheduleConsole } from './scheduleConsole.js';
import { presentRun } from './schedulePresenters.js';
import { cancelScheduleRun, findRun, type RunLimits, startScheduleRun, stopAllRuns } from './scheduleRuns.js';

const tags = ['unconference'];

export function runLimits(ctx: AppContext): RunLimits {
  const { maxSeconds, staleSeconds, iterations } = ctx.config.unconferenceRuns;
  return { maxSeconds, staleSeconds, ...(iterations !== undefined && { iterations }) };
}

function presentMove(planned: PlannedMove, saved: boolean) {
  const { after } = planned;
  return {
    scoreBefore: planned.before.score,
    scoreAfter: after.score,
    delta: after.score - planned.before.score,
    changes: planned.changes,
    after: {
      score: after.score,
      trivialBound: after.trivialBound,
      trivialGap: after.trivialGap,
      meanSatisfaction: after.meanSatisfaction,
      placed: after.placed,
    },
    saved,
  };
}

/** The admin's schedule console: runs, evaluation, locks, pins, moves, publication. Admins only. */
export function unconferenceScheduleRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const { db } = ctx.database;
  const limits = runLimits(ctx);
  return async (app) => {
    app.addHook('onClose', async () => {
      await stopAllRuns(db);
    });

    app.get(
      '/admin/unconference/events/:id/schedule',
      {
        schema: {
          tags,
          summary:
            'The schedule console: slots, rooms, sessions, the working schedule evaluated, the active and last runs.',
          params: eventParams,
          response: { 200: consoleSchema, ...commonErrors },
        },
      },
      async (request) => scheduleConsole({ db, eventId: request.params.id, limits }),
    );

    app.post(
      '/admin/unconference/events/:id/schedule/runs',
      {
        schema: {
          tags,
          summary:
            'Starts the scheduler in a worker thread and answers at once (202). One active run per event (409). ' +
            'When it finishes, its schedule replaces the working schedule; locked slots and pins are kept.',
          params: eventParams,
          body: startRunBody,
          response: { 202: runEnvelope, ...commonErrors },
        },
      },
      async (request, reply) => {
        const admin = requireAdmin(request);
        const run = await startScheduleRun({
          db,
          eventId: request.params.id,
          actorId: admin.id,
          seconds: request.body.seconds,
          mode: request.body.mode,
          moveWeight: request.body.moveWeight,
          seed: request.body.seed,
          limits,
        });
        return reply.code(202).send({ run: presentRun(run) });
      },
    );

    app.get(
      '/admin/unconference/events/:id/schedule/runs/:runId',
      {
        schema: {
          tags,
          summary: 'One run: status, progress, best score and bound so far.',
          params: runParams,
          response: { 200: runEnvelope, ...commonErrors },
        },
      },
      async (request) => ({ run: presentRun(await findRun(db, request.params.id, request.params.runId)) }),
    );

    app.post(
      '/admin/unconference/events/:id/schedule/runs/:runId/cancel',
      {
        schema: {
          tags,
          summary: 'Cancels an active run: the working schedule stays as it was.',
          params: runParams,
          response: { 200: runEnvelope, ...commonErrors },
        },
      },
      async (request) => {
        const admin = requireAdmin(request);
        const run = await cancelScheduleRun({
          db,
          eventId: request.params.id,
          runId: request.params.runId,
          actorId: admin.id,
          limits,
        });
        return { run: presentRun(run) };
      },
    );

    app.put(
      '/admin/unconference/events/:id/schedule/slots/:slotId/lock',
      {
        schema: {
          tags,
          summary: 'Locks or unlocks a slot: a locked slot keeps its sessions when the scheduler runs.',
          params: slotParams,
          body: lockBody,
          response: { 204: z.null(), ...commonErrors },
        },
      },
      async (request, reply) => {
        const admin = requireAdmin(request);
        await setSlotLocked({
          db,
          eventId: request.params.id,
          slotId: request.params.slotId,
          locked: request.body.locked,
          actorId: admin.id,
        });
        return reply.code(204).send(null);
      },
    );

    app.put(
      '/admin/unconference/events/:id/schedule/proposals/:proposalId/pin',
      {
        schema: {
          tags,
          summary: 'Pins a session where it is (or to a given slot and room), or unpins it.',
          params: proposalParams,
          body: pinBody,
          response: { 204: z.null(), ...commonErrors },
        },
      },
      async (request, reply) => {
        const admin = requireAdmin(request);
        await setSessionPin({
          db,
          eventId: request.params.id,
          proposalId: request.params.proposalId,
          pinned: request.body.pinned,
          slotId: request.body.slotId,
          roomId: request.body.roomId,
          actorId: admin.id,
        });
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/admin/unconference/events/:id/schedule/moves/preview',
      {
        schema: {
          tags,
          summary: 'What moving a session by hand would do to the score, without saving.',
          params: eventParams,
          body: moveBody,
          response: { 200: movePreviewSchema, ...commonErrors },
        },
      },
      async (request) => presentMove(await previewMove({ db, eventId: request.params.id, move: request.body }), false),
    );

    app.post(
      '/admin/unconference/events/:id/schedule/moves',
      {
        schema: {
          tags,
          summary: 'Moves a session by hand (a session in the target room swaps into its old place).',
          params: eventParams,
          body: moveBody,
          response: { 200: movePreviewSchema, ...commonErrors },
        },
      },
      async (request) => {
        const admin = requireAdmin(request);
        const planned = await applyMove({
          db,
          eventId: request.params.id,
          move: request.body,
          actorId: admin.id,
          limits,
        });
        return presentMove(planned, true);
      },
    );

    app.post(
      '/admin/unconference/events/:id/schedule/publish',
      {
        schema: {
          tags,
          summary:
            'Publishes the working schedule as a new version; every session becomes a meeting. After the first ' +
            'publication, the people of sessions whose time or room changed are told (old and new time and room).',
          params: eventParams,
          body: publishBody,
          response: { 200: publishResultSchema, ...commonErrors },
        },
      },
      async (request) => {
        const admin = requireAdmin(request);
        const outcome = await publishSchedule({
          db,
          eventId: request.params.id,
          actorId: admin.id,
          note: request.body.note,
          notify: request.body.notify,
          limits,
        });
        const { versionId, ...rest } = outcome;
        return { version: { id: versionId, ...rest } };
      },
    );
  };
}

/** The public changelog of an event's published schedule versions. */
export function unconferenceChangelogRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const { db } = ctx.database;
  return async (app) => {
    app.get(
      '/unconference/events/:id/changelog',
      {
        schema: {
          tags,
          summary:
            'Published schedule versions, newest first, each with the sessions added, moved (new time), ' +
            'room_changed (same time, new room) or removed.',
          params: eventParams,
          response: { 200: changelogSchema, ...commonErrors },
        },
      },
      async (request) => ({ versions: await scheduleChangelog(db, request.params.id) }),
    );
  };
}
