/** The Meetings API (src/features/meetings/routes.ts): my meetings, one meeting, its time and status; admin list (and its sources) and create. */
import type {
  AdminMeetingsQuery,
  CreateMeetingInput,
  FeedbackAnswer,
  MeetingDetailView,
  MeetingList,
  MeetingSources,
  MyMeetingsQuery,
  meetingEnvelope,
} from '@contract/meetings';
import type { z } from 'zod';
import { api } from './client';

export type { MeetingStatus } from '@contract/meetings';
export type MeetingWhen = NonNullable<MyMeetingsQuery['when']>;
export type MeetingSummary = MeetingList['meetings'][number];
export type MeetingPerson = MeetingSummary['participants'][number];
export type MeetingDetail = MeetingDetailView;
export type MeetingPage = MeetingList;
export type NewMeeting = CreateMeetingInput;

type MeetingEnvelope = z.infer<typeof meetingEnvelope>;
/** Whom the messages of a change will reach, by which channels, as the server queued them. */
export type Told = NonNullable<MeetingEnvelope['told']>;
export interface ChangedMeeting {
  meeting: MeetingDetail;
  told: Told | undefined;
}

const path = (id: string) => `/api/v1/meetings/${encodeURIComponent(id)}`;

export function listMyMeetings(when: MeetingWhen, page: number, signal?: AbortSignal): Promise<MeetingPage> {
  return api.get<MeetingPage>(`/api/v1/meetings?when=${when}&page=${page}`, { signal });
}

export async function getMeeting(id: string, signal?: AbortSignal): Promise<MeetingDetail> {
  return (await api.get<MeetingEnvelope>(path(id), { signal })).meeting;
}

export const calendarFileUrl = (id: string) => `${path(id)}/calendar.ics`;

export async function setMeetingTime(id: string, startsAt: string, durationMinutes?: number): Promise<ChangedMeeting> {
  const { meeting, told } = await api.patch<MeetingEnvelope>(path(id), { startsAt, durationMinutes });
  return { meeting, told };
}

export async function cancelMeeting(id: string): Promise<ChangedMeeting> {
  const { meeting, told } = await api.post<MeetingEnvelope>(`${path(id)}/cancel`);
  return { meeting, told };
}

export async function answerMeeting(id: string, answer: FeedbackAnswer): Promise<void> {
  await api.post(`${path(id)}/feedback`, { answer });
}

export async function markMeetingDone(id: string): Promise<MeetingDetail> {
  return (await api.post<MeetingEnvelope>(`${path(id)}/done`)).meeting;
}

export function listAllMeetings(
  // The contract coerces page from the query string; here it is always a number.
  query: Omit<AdminMeetingsQuery, 'page'> & { page: number },
  signal?: AbortSignal,
): Promise<MeetingPage> {
  const params = new URLSearchParams({ page: String(query.page) });
  if (query.status) params.set('status', query.status);
  if (query.group) params.set('group', query.group);
  if (query.source) params.set('source', query.source);
  return api.get<MeetingPage>(`/api/v1/admin/meetings?${params}`, { signal });
}

/** The sources meetings have come from, by name: the admin list's source filter offers these. */
export async function listMeetingSources(signal?: AbortSignal): Promise<string[]> {
  return (await api.get<MeetingSources>('/api/v1/admin/meetings/sources', { signal })).sources;
}

export async function createMeeting(input: NewMeeting): Promise<MeetingDetail> {
  return (await api.post<MeetingEnvelope>('/api/v1/admin/meetings', input)).meeting;
}
