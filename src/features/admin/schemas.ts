import { z } from 'zod';
import { emailSchema, nameSchema, timezoneSchema } from '../auth/schemas.js';

const optionalText = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`).nullable();

const isWebAddress = (value: string) => {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
};

/**
 * What an administrator may change about a person (`PATCH /admin/people/:id`); every field is
 * optional and an empty text or null clears an optional one.
 */
export const editPersonBody = z
  .object({
    name: nameSchema,
    email: z.union([emailSchema, z.literal('')]).nullable(),
    username: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[^\s@]{1,100}$/, 'must be 1 to 100 characters without spaces or @'),
    team: optionalText(100),
    title: optionalText(200),
    managerUsername: optionalText(100),
    timezone: timezoneSchema,
    avatarUrl: optionalText(2000).refine(
      (value) => !value || isWebAddress(value),
      'must be an http(s) address of an image',
    ),
    role: z.enum(['admin', 'member']),
    enabled: z.boolean(),
  })
  .partial()
  .strict();

export type EditPersonInput = z.output<typeof editPersonBody>;
