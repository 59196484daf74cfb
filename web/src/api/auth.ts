/** Signing up, in and out, and one's own profile (src/features/auth/routes.ts; types from src/contract/auth.ts). */

import type { personEnvelope } from '@contract/people';
import type { z } from 'zod';
import { ApiError, api } from './client';
import type { AuthOptions, Person, ProfileUpdate, SignInInput, SignUpInput } from './types';

type PersonResponse = z.infer<typeof personEnvelope>;

export function getAuthOptions(signal?: AbortSignal): Promise<AuthOptions> {
  return api.get<AuthOptions>('/api/v1/auth/options', { signal });
}

/** The signed-in person, or null when signed out. */
export async function getMe(signal?: AbortSignal): Promise<Person | null> {
  try {
    const { person } = await api.get<PersonResponse>('/api/v1/me', {
      signal,
      expectUnauthorized: true,
    });
    return person;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export async function signUp(input: SignUpInput): Promise<Person> {
  const { person } = await api.post<PersonResponse>('/api/v1/auth/signup', input, {
    expectUnauthorized: true,
  });
  return person;
}

export async function signIn(input: SignInInput): Promise<Person> {
  const { person } = await api.post<PersonResponse>('/api/v1/auth/signin', input, {
    expectUnauthorized: true,
  });
  return person;
}

export async function signOut(): Promise<void> {
  await api.post<undefined>('/api/v1/auth/signout', undefined, { expectUnauthorized: true });
}

export async function updateMe(update: ProfileUpdate): Promise<Person> {
  const { person } = await api.patch<PersonResponse>('/api/v1/me', update);
  return person;
}
