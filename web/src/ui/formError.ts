import { ApiError } from '../api/client';

export interface FormError {
  message: string;
  /** Name of the form field the error is about, when the server (or client check) says so. */
  field?: string;
}

export function toFormError(error: unknown): FormError {
  if (error instanceof ApiError) {
    return error.field === undefined ? { message: error.message } : { message: error.message, field: error.field };
  }
  return { message: 'Something went wrong. Please try again.' };
}

/** The error if it belongs to `field`, otherwise null. */
export function fieldError(error: FormError | null, field: string): FormError | null {
  return error?.field === field ? error : null;
}

/** The error if it belongs to none of `fields` (so it is shown for the whole form). */
export function formLevelError(error: FormError | null, fields: readonly string[]): FormError | null {
  if (!error) return null;
  if (error.field !== undefined && fields.includes(error.field)) return null;
  return error;
}

/**
 * Server messages about a field start with its API name ("password: is required").
 * Shown right under the labelled field, that reads better with the label instead:
 * "Password is required". Messages that are already sentences lose just the prefix.
 */
export function fieldMessage(message: string, field: string, label: string): string {
  const prefix = `${field}: `;
  if (!message.startsWith(prefix)) return message;
  const rest = message.slice(prefix.length).trim();
  if (rest === '') return message;
  const first = rest.charAt(0);
  return first === first.toLowerCase() && first !== first.toUpperCase() ? `${label} ${rest}` : rest;
}
