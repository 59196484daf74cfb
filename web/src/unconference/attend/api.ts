/** The attendee side of an unconference (src/features/unconference/attendRoutes.ts, calendarFeeds/routes.ts). */
import type { AgendaView, FeedCreatedView, FeedStatusView, GridView, SessionView } from '@contract/unconferenceAttend';
import { api } from '../../api/client';

export type { AgendaView, FeedCreatedView, GridView, SessionView };

const tzQuery = (tz: string | null) => (tz ? `?tz=${encodeURIComponent(tz)}` : '');

export function getTimetable(eventId: string, tz: string | null, signal?: AbortSignal): Promise<GridView> {
  return api.get<GridView>(`/api/v1/unconference/events/${encodeURIComponent(eventId)}/published${tzQuery(tz)}`, {
    signal,
  });
}

export function getAgenda(eventId: string, tz: string | null, signal?: AbortSignal): Promise<AgendaView> {
  return api.get<AgendaView>(
    `/api/v1/unconference/events/${encodeURIComponent(eventId)}/published/agenda${tzQuery(tz)}`,
    { signal },
  );
}

export function getSession(id: string, signal?: AbortSignal): Promise<SessionView> {
  return api.get<SessionView>(`/api/v1/unconference/sessions/${encodeURIComponent(id)}`, { signal });
}

export function getFeedStatus(signal?: AbortSignal): Promise<FeedStatusView> {
  return api.get<FeedStatusView>('/api/v1/me/calendar-feed', { signal });
}

export function makeFeed(): Promise<FeedCreatedView> {
  return api.post<FeedCreatedView>('/api/v1/me/calendar-feed');
}

export function revokeFeed(): Promise<void> {
  return api.delete<void>('/api/v1/me/calendar-feed');
}

export const exportUrls = (eventId: string) => ({
  xml: `/api/v1/unconference/events/${encodeURIComponent(eventId)}/published/schedule.xml`,
  json: `/api/v1/unconference/events/${encodeURIComponent(eventId)}/published/schedule.json`,
});
