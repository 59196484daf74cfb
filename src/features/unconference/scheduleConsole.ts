import type { ScheduleConsole } from '../../contract/unconferenceSchedule.js';
import type { Db } from '../../db/database.js';
import { evaluate } from './evaluate.js';
import { currentRunBound } from './runBound.js';
import { findUnconferenceEvent, loadEventSchedule } from './scheduleInstance.js';
import { presentRun } from './schedulePresenters.js';
import { activeRun, failStaleRuns, listRuns, type RunLimits } from './scheduleRuns.js';
import { latestVersion } from './versions.js';

/** Everything the admin's schedule console shows, read in one go. */
export async function scheduleConsole(props: { db: Db; eventId: string; limits: RunLimits }): Promise<ScheduleConsole> {
  const { db, eventId } = props;
  const event = await findUnconferenceEvent(db, eventId);
  await failStaleRuns(db, eventId, props.limits);
  const [schedule, active, runs, version] = await Promise.all([
    loadEventSchedule(db, eventId),
    activeRun(db, eventId),
    listRuns(db, eventId, 1),
    latestVersion(db, eventId),
  ]);
  const evaluation = evaluate(schedule, schedule.working);
  return {
    event: { id: event.id, name: event.name, timezone: event.timezone, phase: event.phase },
    slots: schedule.slots,
    rooms: schedule.rooms.map((r) => ({ id: r.id, name: r.name, capacity: r.capacity, isPlace: r.isPlace })),
    sessions: schedule.sessions.map((s) => ({
      id: s.id,
      title: s.title,
      owners: s.owners.map((o) => schedule.names.get(o) ?? o),
      pinnedSlotId: s.pinnedSlotId,
      pinnedRoomId: s.pinnedRoomId,
    })),
    evaluation,
    runBound: await currentRunBound(db, schedule, evaluation.score),
    activeRun: active ? presentRun(active) : null,
    lastRun: runs[0] ? presentRun(runs[0]) : null,
    maxSeconds: props.limits.maxSeconds,
    latestVersion: version ? { number: version.number, publishedAt: version.publishedAt } : null,
  };
}
