/** One's own data: export, account deletion, photo (src/features/accounts/personDataRoutes.ts; types from src/contract/accountData.ts). */
import type { deletedAccountSchema, photoSchema } from '@contract/accountData';
import type { z } from 'zod';
import { api } from './client';

type Deleted = z.infer<typeof deletedAccountSchema>;

/** Where the browser downloads the export from (a plain link: the server names the file). */
export const MY_EXPORT_URL = '/api/v1/me/export';
export const personExportUrl = (personId: string) => `/api/v1/admin/people/${encodeURIComponent(personId)}/export`;

export const deleteMyAccount = (confirm: string) =>
  api.post<Deleted>('/api/v1/me/delete-account', { confirm }, { expectUnauthorized: true });

export const deletePersonAccount = (personId: string, confirm: string) =>
  api.post<Deleted>(`/api/v1/admin/people/${encodeURIComponent(personId)}/delete-account`, { confirm });

export const uploadPhoto = (file: File) => api.put<z.infer<typeof photoSchema>>('/api/v1/me/photo', file);

export const removePhoto = () => api.delete<undefined>('/api/v1/me/photo');
