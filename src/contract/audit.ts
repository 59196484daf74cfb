/** The admin's audit log page: filters and entries. Zod only. */
import { z } from 'zod';

const isoDate = z
  .string()
  .trim()
  .refine((value) => !Number.isNaN(Date.parse(value)), 'must be a date such as 2026-01-31 or 2026-01-31T09:00:00Z');

export const auditQuery = z
  .object({
    /** An action or its prefix: `person.` matches every person action. */
    action: z.string().trim().max(100).optional(),
    /** The actor's username or e-mail. */
    actor: z.string().trim().max(254).optional(),
    subjectId: z.string().trim().max(64).optional(),
    since: isoDate.optional(),
    until: isoDate.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

export const auditEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.object({ id: z.string(), name: z.string(), username: z.string() }).nullable(),
  /** The API token a machine caller made the change with (then there is no actor). */
  apiToken: z.object({ id: z.string(), name: z.string() }).nullable(),
  action: z.string(),
  subjectType: z.string().nullable(),
  subjectId: z.string().nullable(),
  data: z.record(z.string(), z.unknown()).nullable(),
  ip: z.string().nullable(),
});

export const auditPageSchema = z.object({ entries: z.array(auditEntrySchema), total: z.number() });

export type AuditQuery = z.input<typeof auditQuery>;
export type AuditEntryView = z.infer<typeof auditEntrySchema>;
