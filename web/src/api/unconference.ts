/**
 * The unconference API (src/features/unconference/routes.ts): events, timetable, proposals and
 * interest; for admins, event settings, the timetable editor and moderation.
 */
import type {
  AdminEventView,
  adminEventEnvelope,
  createEventBody,
  createProposalBody,
  EventDetail,
  EventView,
  eventListSchema,
  InterestLevel,
  ProposalDetail,
  ProposalList,
  proposalEnvelope,
  roomBody,
  slotBody,
  TimetableView,
  UnconferencePhase,
  updateEventBody,
  updateProposalBody,
  updateRoomBody,
  updateSlotBody,
} from '@contract/unconference';
import type { TestModeBody, TestModeView } from '@contract/unconferenceAttend';
import type { z } from 'zod';
import { api } from './client';

export type {
  AdminEventView,
  DayView,
  EventDetail,
  EventView,
  InterestCounts,
  InterestLevel,
  ProposalDetail,
  ProposalList,
  RoomView,
  SlotView,
  TimetableView,
  UnconferencePhase,
} from '@contract/unconference';

export type { TestModeBody, TestModeView } from '@contract/unconferenceAttend';

export type UnconfEventInput = z.input<typeof createEventBody>;
export type UnconfEventUpdate = z.input<typeof updateEventBody>;
export type UnconfProposalInput = z.input<typeof createProposalBody>;
export type UnconfProposalUpdate = z.input<typeof updateProposalBody>;
export type SlotInput = z.input<typeof slotBody>;
export type SlotUpdate = z.input<typeof updateSlotBody>;
export type RoomInput = z.input<typeof roomBody>;
export type RoomUpdate = z.input<typeof updateRoomBody>;

type EventEnvelope = z.infer<typeof adminEventEnvelope>;
type ProposalEnvelope = z.infer<typeof proposalEnvelope>;
type TimetableEnvelope = { timetable: TimetableView };

const enc = encodeURIComponent;
const base = '/api/v1/unconference';

export async function listUnconferenceEvents(signal?: AbortSignal): Promise<EventView[]> {
  return (await api.get<z.infer<typeof eventListSchema>>(`${base}/events`, { signal })).events;
}

export function getUnconferenceEvent(id: string, signal?: AbortSignal): Promise<EventDetail> {
  return api.get<EventDetail>(`${base}/events/${enc(id)}`, { signal });
}

export function getUnconferenceProposals(id: string, signal?: AbortSignal): Promise<ProposalList> {
  return api.get<ProposalList>(`${base}/events/${enc(id)}/proposals`, { signal });
}

export async function proposeSession(eventId: string, input: UnconfProposalInput): Promise<ProposalDetail> {
  return (await api.post<ProposalEnvelope>(`${base}/events/${enc(eventId)}/proposals`, input)).proposal;
}

export async function updateSession(id: string, changes: UnconfProposalUpdate): Promise<ProposalDetail> {
  return (await api.patch<ProposalEnvelope>(`${base}/proposals/${enc(id)}`, changes)).proposal;
}

export async function withdrawSession(id: string): Promise<void> {
  await api.delete<undefined>(`${base}/proposals/${enc(id)}`);
}

export async function getSession(id: string, signal?: AbortSignal): Promise<ProposalDetail> {
  return (await api.get<ProposalEnvelope>(`${base}/proposals/${enc(id)}`, { signal })).proposal;
}

export function setInterest(id: string, level: InterestLevel): Promise<{ proposalId: string; level: InterestLevel }> {
  return api.put(`${base}/proposals/${enc(id)}/interest`, { level });
}

// Admin.

export async function createUnconferenceEvent(input: UnconfEventInput): Promise<AdminEventView> {
  return (await api.post<EventEnvelope>(`${base}/events`, input)).event;
}

export async function getUnconferenceAdmin(id: string, signal?: AbortSignal): Promise<AdminEventView> {
  return (await api.get<EventEnvelope>(`${base}/events/${enc(id)}/admin`, { signal })).event;
}

export async function updateUnconferenceEvent(id: string, changes: UnconfEventUpdate): Promise<AdminEventView> {
  return (await api.patch<EventEnvelope>(`${base}/events/${enc(id)}`, changes)).event;
}

export async function setUnconferencePhase(id: string, phase: UnconferencePhase): Promise<AdminEventView> {
  return (await api.post<EventEnvelope>(`${base}/events/${enc(id)}/phase`, { phase })).event;
}

export async function addDay(eventId: string, date: string, label = ''): Promise<TimetableView> {
  return (await api.post<TimetableEnvelope>(`${base}/events/${enc(eventId)}/days`, { date, label })).timetable;
}

export async function updateDay(id: string, changes: { date?: string; label?: string }): Promise<TimetableView> {
  return (await api.patch<TimetableEnvelope>(`${base}/days/${enc(id)}`, changes)).timetable;
}

export async function deleteDay(id: string): Promise<TimetableView> {
  return (await api.delete<TimetableEnvelope>(`${base}/days/${enc(id)}`)).timetable;
}

export async function addSlot(eventId: string, input: SlotInput): Promise<TimetableView> {
  return (await api.post<TimetableEnvelope>(`${base}/events/${enc(eventId)}/slots`, input)).timetable;
}

export async function updateSlot(id: string, changes: SlotUpdate): Promise<TimetableView> {
  return (await api.patch<TimetableEnvelope>(`${base}/slots/${enc(id)}`, changes)).timetable;
}

export async function deleteSlot(id: string): Promise<TimetableView> {
  return (await api.delete<TimetableEnvelope>(`${base}/slots/${enc(id)}`)).timetable;
}

export async function addRoom(eventId: string, input: RoomInput): Promise<TimetableView> {
  return (await api.post<TimetableEnvelope>(`${base}/events/${enc(eventId)}/rooms`, input)).timetable;
}

export async function updateRoom(id: string, changes: RoomUpdate): Promise<TimetableView> {
  return (await api.patch<TimetableEnvelope>(`${base}/rooms/${enc(id)}`, changes)).timetable;
}

export async function deleteRoom(id: string): Promise<TimetableView> {
  return (await api.delete<TimetableEnvelope>(`${base}/rooms/${enc(id)}`)).timetable;
}

export async function approveSession(id: string): Promise<ProposalDetail> {
  return (await api.post<ProposalEnvelope>(`${base}/proposals/${enc(id)}/approve`)).proposal;
}

export async function rejectSession(id: string): Promise<ProposalDetail> {
  return (await api.post<ProposalEnvelope>(`${base}/proposals/${enc(id)}/reject`)).proposal;
}

/** Speaker availability: the slots a proposal may be placed in; empty = any slot. */
export async function setAllowedSlots(id: string, slotIds: string[]): Promise<ProposalDetail> {
  return (await api.put<ProposalEnvelope>(`${base}/proposals/${enc(id)}/allowed-slots`, { slotIds })).proposal;
}

/** Test mode: fake people, proposals and ratings; the answer counts what was made. */
export function fillTestMode(eventId: string, input: TestModeBody): Promise<TestModeView> {
  return api.post<TestModeView>(`/api/v1/admin/unconference/events/${enc(eventId)}/test-mode`, input);
}

/** Clears test mode; the answer counts what was removed. */
export function clearTestMode(eventId: string): Promise<TestModeView> {
  return api.delete<TestModeView>(`/api/v1/admin/unconference/events/${enc(eventId)}/test-mode`);
}

export const timetableExportUrl = (id: string): string => `${base}/events/${enc(id)}/timetable.json`;
