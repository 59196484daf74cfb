/**
 * The ingest contract's fixed lists, without zod: the web app needs them at run time, and importing
 * them from ingest.ts would put zod (about 85 kB) into the admin pages' chunk.
 */
export const DELIVERY_OUTCOMES = ['processing', 'ok', 'ignored', 'rejected', 'failed'] as const;
export const API_SCOPES = ['meetings:write'] as const;
/** Why a delivery was refused before it was read (and so is not among the deliveries). */
export const REFUSAL_REASONS = ['secret', 'model', 'event', 'delivery_id'] as const;
