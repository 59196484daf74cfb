/** One's own data: the export, deleting the account, the profile photo. Zod only: the web app reads it too. */
import { z } from 'zod';

export const deleteAccountBody = z
  .object({
    /** The account's username, typed to show the deletion is meant. */
    confirm: z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters'),
  })
  .strict();

export const deletedAccountSchema = z.object({ username: z.string(), message: z.string() });

/** The export is one JSON document (see features/accounts/exportData.ts for its sections). */
export const personDataExportSchema = z.record(z.string(), z.unknown());

export const photoSchema = z.object({ avatarUrl: z.string() });

export const photoParams = z.object({ id: z.string().min(1).max(64) });
export const photoQuery = z.object({ v: z.string().max(64).optional() }).strict();

export type DeleteAccountInput = z.infer<typeof deleteAccountBody>;
