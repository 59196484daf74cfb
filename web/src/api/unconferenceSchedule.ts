/** The unconference schedule console API (src/features/unconference/scheduleRoutes.ts). */
import type {
  MovePreview,
  publishResultSchema,
  runEnvelope,
  ScheduleChangelog,
  ScheduleConsole,
  ScheduleRun,
} from '@contract/unconferenceSchedule';
import type { z } from 'zod';
import { api } from './client';

export type {
  MovePreview,
  ScheduleChangelog,
  ScheduleConsole,
  ScheduleEvaluation,
  ScheduleRun,
} from '@contract/unconferenceSchedule';
export type PublishResult = z.infer<typeof publishResultSchema>['version'];

const enc = encodeURIComponent;
const base = (eventId: string) => `/api/v1/admin/unconference/events/${enc(eventId)}/schedule`;

export const getScheduleConsole = (eventId: string, signal?: AbortSignal) =>
  api.get<ScheduleConsole>(base(eventId), { signal });

export async function startRun(
  eventId: string,
  body: { seconds: number; mode: 'full' | 'minimal_change' },
): Promise<ScheduleRun> {
  return (await api.post<z.infer<typeof runEnvelope>>(`${base(eventId)}/runs`, body)).run;
}

export async function getRun(eventId: string, runId: string, signal?: AbortSignal): Promise<ScheduleRun> {
  return (await api.get<z.infer<typeof runEnvelope>>(`${base(eventId)}/runs/${enc(runId)}`, { signal })).run;
}

export async function cancelRun(eventId: string, runId: string): Promise<ScheduleRun> {
  return (await api.post<z.infer<typeof runEnvelope>>(`${base(eventId)}/runs/${enc(runId)}/cancel`)).run;
}

export const setSlotLock = (eventId: string, slotId: string, locked: boolean) =>
  api.put<void>(`${base(eventId)}/slots/${enc(slotId)}/lock`, { locked });

export const setPin = (eventId: string, proposalId: string, pinned: boolean) =>
  api.put<void>(`${base(eventId)}/proposals/${enc(proposalId)}/pin`, { pinned });

export interface MoveInput {
  proposalId: string;
  slotId: string | null;
  roomId: string | null;
}

export const previewMove = (eventId: string, move: MoveInput) =>
  api.post<MovePreview>(`${base(eventId)}/moves/preview`, move);

export const saveMove = (eventId: string, move: MoveInput) => api.post<MovePreview>(`${base(eventId)}/moves`, move);

export async function publish(eventId: string, body: { note: string; notify: boolean }): Promise<PublishResult> {
  return (await api.post<z.infer<typeof publishResultSchema>>(`${base(eventId)}/publish`, body)).version;
}

export const getChangelog = (eventId: string, signal?: AbortSignal) =>
  api.get<ScheduleChangelog>(`/api/v1/unconference/events/${enc(eventId)}/changelog`, { signal });
