import { api } from './client';
import type { AdminPerson, AdminSettings, EditPersonInput, PeoplePage, PeopleQuery, PersonAction } from './types';

export function getAdminSettings(signal?: AbortSignal): Promise<AdminSettings> {
  return api.get<AdminSettings>('/api/v1/admin/settings', { signal });
}

export function updateAdminSettings(update: Partial<AdminSettings>): Promise<AdminSettings> {
  return api.patch<AdminSettings>('/api/v1/admin/settings', update);
}

export function listPeople(query: PeopleQuery, signal?: AbortSignal): Promise<PeoplePage> {
  const params = new URLSearchParams();
  if (query.q) params.set('q', query.q);
  if (query.role) params.set('role', query.role);
  if (query.state) params.set('state', query.state);
  if (query.limit !== undefined) params.set('limit', String(query.limit));
  if (query.offset !== undefined) params.set('offset', String(query.offset));
  const search = params.toString();
  return api.get<PeoplePage>(`/api/v1/admin/people${search ? `?${search}` : ''}`, { signal });
}

export async function applyPersonAction(id: string, action: PersonAction): Promise<AdminPerson> {
  const { person } = await api.post<{ person: AdminPerson }>(
    `/api/v1/admin/people/${encodeURIComponent(id)}/${action}`,
  );
  return person;
}

export async function editPerson(id: string, changes: EditPersonInput): Promise<AdminPerson> {
  const { person } = await api.patch<{ person: AdminPerson }>(
    `/api/v1/admin/people/${encodeURIComponent(id)}`,
    changes,
  );
  return person;
}
