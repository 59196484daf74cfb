/** The Meetings API (src/features/meetings/routes.ts): my meetings, one meeting, its time and status; admin list and create. */
import { api } from './client';

export type MeetingStatus = 'scheduled' | 'rescheduled' | 'cancelled' | 'done';
export type MeetingWhen = 'upcoming' | 'past';

export interface MeetingPerson {
  id: string;
  username: string;
  name: string;
  title: string | null;
  team: string | null;
  avatarUrl: string | null;
  /** Admins only. */
  email?: string | null;
}

export interface MeetingSummary {
  id: string;
  title: string;
  source: string;
  groupId: string | null;
  groupName: string | null;
  startsAt: string | null;
  durationMinutes: number | null;
  status: MeetingStatus;
  /** In my meetings: the others. In the admin list: everyone. */
  participants: MeetingPerson[];
}

export interface MeetingDetail extends MeetingSummary {
  participants: Array<MeetingPerson & { isYou: boolean }>;
  joinUrl: string | null;
  access: 'participant' | 'assistant' | 'admin';
  canChange: boolean;
  feedback: 'yes' | 'no' | null;
  createdAt: string;
  updatedAt: string;
}

export interface MeetingPage {
  meetings: MeetingSummary[];
  page: number;
  pageSize: number;
  total: number;
}

const path = (id: string) => `/api/v1/meetings/${encodeURIComponent(id)}`;

export function listMyMeetings(when: MeetingWhen, page: number, signal?: AbortSignal): Promise<MeetingPage> {
  return api.get<MeetingPage>(`/api/v1/meetings?when=${when}&page=${page}`, { signal });
}

export async function getMeeting(id: string, signal?: AbortSignal): Promise<MeetingDetail> {
  return (await api.get<{ meeting: MeetingDetail }>(path(id), { signal })).meeting;
}

export const calendarFileUrl = (id: string) => `${path(id)}/calendar.ics`;

export async function setMeetingTime(id: string, startsAt: string, durationMinutes?: number): Promise<MeetingDetail> {
  return (await api.patch<{ meeting: MeetingDetail }>(path(id), { startsAt, durationMinutes })).meeting;
}

export async function cancelMeeting(id: string): Promise<MeetingDetail> {
  return (await api.post<{ meeting: MeetingDetail }>(`${path(id)}/cancel`)).meeting;
}

export async function answerMeeting(id: string, answer: 'yes' | 'no'): Promise<void> {
  await api.post(`${path(id)}/feedback`, { answer });
}

export async function markMeetingDone(id: string): Promise<MeetingDetail> {
  return (await api.post<{ meeting: MeetingDetail }>(`${path(id)}/done`)).meeting;
}

export function listAllMeetings(
  query: { status?: MeetingStatus; group?: string; page: number },
  signal?: AbortSignal,
): Promise<MeetingPage> {
  const params = new URLSearchParams({ page: String(query.page) });
  if (query.status) params.set('status', query.status);
  if (query.group) params.set('group', query.group);
  return api.get<MeetingPage>(`/api/v1/admin/meetings?${params}`, { signal });
}

export interface NewMeeting {
  title: string;
  participantIds: string[];
  startsAt?: string | null;
  durationMinutes?: number | null;
}

export async function createMeeting(input: NewMeeting): Promise<MeetingDetail> {
  return (await api.post<{ meeting: MeetingDetail }>('/api/v1/admin/meetings', input)).meeting;
}
