import { z } from 'zod';
import { isValidTimeZone } from '../../lib/time.js';
import { normaliseEmail } from '../people/email.js';

/**
 * One record of the staff feed (Etsy Mixer's format), as JSON values or CSV cells. The same schema
 * reads both: CSV cells are always text, so flags and ids also accept their text forms.
 *
 * Optional columns (email, team, manager, timezone) distinguish "absent" from "empty": a key or
 * column that is absent leaves the stored value alone (`undefined`), while an empty value clears
 * it (`null`). Required columns are always written, so a re-import updates every field.
 */

const missing = (value: unknown) => value === undefined || value === null || value === '';
const quote = (value: unknown) => JSON.stringify(value)?.slice(0, 40) ?? String(value);

const idField = z.unknown().transform((value, ctx) => {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value === 'string' && value.trim() && value.trim().length <= 100) return value.trim();
  const message = missing(typeof value === 'string' ? value.trim() : value)
    ? 'is required'
    : `must be a whole number or a short text, got ${quote(value)}`;
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER;
});

const flagWords: Record<string, boolean> = { '1': true, true: true, '0': false, false: false };

const flagField = z.unknown().transform((value, ctx) => {
  if (typeof value === 'boolean') return value;
  if (value === 0 || value === 1) return value === 1;
  if (typeof value === 'string') {
    const flag = flagWords[value.trim().toLowerCase()];
    if (flag !== undefined) return flag;
  }
  const message = missing(value)
    ? 'is required (true or false, 1 or 0)'
    : `must be true or false (or 1 or 0), got ${quote(value)}`;
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER;
});

/** A text column that must be present but may be empty (stored as null). */
function textField(max: number) {
  return z.unknown().transform((value, ctx) => {
    if (value === null) return null;
    if (typeof value === 'string') {
      const text = value.trim();
      if (text.length <= max) return text || null;
      ctx.addIssue({ code: 'custom', message: `must be at most ${max} characters` });
      return z.NEVER;
    }
    ctx.addIssue({ code: 'custom', message: value === undefined ? 'is required (it may be empty)' : 'must be text' });
    return z.NEVER;
  });
}

/** An optional column: absent → undefined (keep what is stored), empty → null (clear it). */
function optionalText(max: number) {
  return z.unknown().transform((value, ctx) => {
    if (value === undefined) return undefined;
    if (value === null) return null;
    if (typeof value === 'string') {
      const text = value.trim();
      if (text.length <= max) return text || null;
      ctx.addIssue({ code: 'custom', message: `must be at most ${max} characters` });
      return z.NEVER;
    }
    ctx.addIssue({ code: 'custom', message: 'must be text' });
    return z.NEVER;
  });
}

const usernameField = z.unknown().transform((value, ctx) => {
  const text = typeof value === 'string' ? value.trim().toLowerCase() : value;
  if (typeof text === 'string' && /^[^\s@]{1,100}$/.test(text)) return text;
  const message = missing(text)
    ? 'is required'
    : typeof text !== 'string'
      ? 'must be text'
      : text.length > 100
        ? 'must be at most 100 characters'
        : `must not contain spaces or @, got ${quote(text)}`;
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER;
});

const emailField = optionalText(254).pipe(
  z
    .string()
    .overwrite(normaliseEmail)
    .pipe(z.email('must be an e-mail address such as ada@example.org'))
    .nullable()
    .optional(),
);

const avatarField = textField(2000).refine(
  (value) => {
    if (value === null) return true;
    try {
      const url = new URL(value);
      return url.protocol === 'https:' || url.protocol === 'http:';
    } catch {
      return false;
    }
  },
  { message: 'must be an http(s) address of an image' },
);

/** Empty counts as absent here: the column cannot be null, so an empty cell keeps what is stored. */
const timezoneField = optionalText(64).transform((value, ctx) => {
  if (!value) return undefined;
  if (isValidTimeZone(value)) return value;
  ctx.addIssue({ code: 'custom', message: `must be an IANA time zone such as Europe/Paris, got ${quote(value)}` });
  return z.NEVER;
});

export const directoryRecordSchema = z.object({
  id: idField,
  auth_username: usernameField,
  first_name: textField(100),
  last_name: textField(100),
  title: textField(200),
  avatar: avatarField,
  enabled: flagField,
  is_manager: flagField,
  // `.optional()` outside: an absent key is skipped (undefined), a present one is checked.
  email: emailField.optional(),
  team: optionalText(100).optional(),
  manager: optionalText(100)
    .transform((value) => (typeof value === 'string' ? value.toLowerCase() : value))
    .optional(),
  timezone: timezoneField.optional(),
});

export type DirectoryRecord = z.output<typeof directoryRecordSchema>;

/** The columns a CSV feed must have (its header row names them). */
export const requiredColumns = [
  'id',
  'auth_username',
  'first_name',
  'last_name',
  'title',
  'avatar',
  'enabled',
  'is_manager',
] as const;
export const optionalColumns = ['email', 'team', 'manager', 'timezone'] as const;

export const feedFormats = ['json', 'csv'] as const;
export type FeedFormat = (typeof feedFormats)[number];
