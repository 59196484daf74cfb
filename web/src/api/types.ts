/**
 * API types shared by several pages. Each one is inferred from the server's zod schemas in
 * src/contract/ (the `@contract/*` alias), so the app reads exactly what the API answers. Type-only
 * imports: none of the schemas end up in the bundle.
 */
import type { PeopleQuery, SettingsView } from '@contract/admin';
import type { editPersonBody } from '@contract/adminPeople';
import type { AuthOptions, signinBody, signupBody, updateMeBody } from '@contract/auth';
import type { AdminPersonView, SelfView } from '@contract/people';
import type { z } from 'zod';

export type { PeoplePage, PeopleQuery, PersonAction, RegistrationPolicy } from '@contract/admin';
export type { AuthOptions } from '@contract/auth';
export type { Role } from '@contract/people';

/** The signed-in person as the server presents them to themselves. */
export type Person = SelfView;
/** A person as the admin people list presents them. */
export type AdminPerson = AdminPersonView;
export type SsoIdentity = NonNullable<AuthOptions['sso']>;

export type SignUpInput = z.input<typeof signupBody>;
export type SignInInput = z.input<typeof signinBody>;
export type ProfileUpdate = z.input<typeof updateMeBody>;

export type AdminSettings = SettingsView;
export type PersonState = NonNullable<PeopleQuery['state']>;

/** What an admin may change about a person; absent fields stay, empty text clears. */
export type EditPersonInput = z.input<typeof editPersonBody>;
