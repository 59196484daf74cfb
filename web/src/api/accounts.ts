/** Invitations, forgotten passwords and e-mail confirmation (src/features/accounts; types from src/contract/accounts.ts). */
import type {
  AcceptInvitationInput,
  InvitationsQuery,
  InvitationView,
  InviteInput,
  InviteResult,
  invitationEnvelope,
} from '@contract/accounts';
import type { personEnvelope } from '@contract/people';
import type { z } from 'zod';
import { api } from './client';
import type { Person } from './types';

export type { InvitationView, InviteResult };

type Message = { message: string };

/** The token of a link from an account e-mail: after `#`, so it never reaches a server log. */
export const tokenFromLocation = (): string => decodeURIComponent(window.location.hash.replace(/^#/, '')).trim();

export const lookupInvitation = (token: string) =>
  api.post<{ email: string; expiresAt: string }>('/api/v1/auth/invitation', { token }, { expectUnauthorized: true });

export async function acceptInvitation(input: AcceptInvitationInput): Promise<Person> {
  const { person } = await api.post<z.infer<typeof personEnvelope>>('/api/v1/auth/invitation/accept', input, {
    expectUnauthorized: true,
  });
  return person;
}

export const forgotPassword = (email: string) =>
  api.post<Message>('/api/v1/auth/password/forgot', { email }, { expectUnauthorized: true });
export const checkResetLink = (token: string) =>
  api.post<Message>('/api/v1/auth/password/check', { token }, { expectUnauthorized: true });
export const resetPassword = (token: string, password: string) =>
  api.post<Message>('/api/v1/auth/password/reset', { token, password }, { expectUnauthorized: true });

export async function verifyEmail(token: string): Promise<Person> {
  const { person } = await api.post<z.infer<typeof personEnvelope>>(
    '/api/v1/auth/verify-email',
    { token },
    { expectUnauthorized: true },
  );
  return person;
}
export const sendVerificationLink = () => api.post<Message>('/api/v1/me/verification');

export function listInvitations(query: InvitationsQuery, signal?: AbortSignal): Promise<InvitationView[]> {
  const params = new URLSearchParams();
  if (query.state) params.set('state', query.state);
  if (query.q) params.set('q', query.q);
  const search = params.toString();
  return api
    .get<{ invitations: InvitationView[] }>(`/api/v1/admin/invitations${search ? `?${search}` : ''}`, { signal })
    .then((page) => page.invitations);
}
export const invite = (input: InviteInput) => api.post<InviteResult>('/api/v1/admin/invitations', input);
export const resendInvitation = (id: string) =>
  api.post<z.infer<typeof invitationEnvelope>>(`/api/v1/admin/invitations/${encodeURIComponent(id)}/resend`);
export const revokeInvitation = (id: string) =>
  api.post<{ invitation: InvitationView }>(`/api/v1/admin/invitations/${encodeURIComponent(id)}/revoke`);
export const sendResetLink = (personId: string) =>
  api.post<Message>(`/api/v1/admin/people/${encodeURIComponent(personId)}/reset-link`);
