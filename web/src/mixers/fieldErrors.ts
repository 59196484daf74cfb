import type { FormError } from '../ui/formError';

// "is required", "must be at most 52": these read well after the field's label.
const READS_AFTER_LABEL = /^(is|are|must|should|never|needs?|cannot|can't|has|does)\b/i;

/**
 * Server messages about a field start with its API name ("name: a group with this name already
 * exists"). Under the labelled field, a message that reads as a sentence of its own loses the prefix
 * and gains a capital ("A group with this name already exists"); one that continues the label
 * ("is required") keeps the prefix, for `Field` to put the label in its place.
 */
export function tidyFieldError(error: FormError | null): FormError | null {
  if (!error?.field) return error;
  const prefix = `${error.field}: `;
  if (!error.message.startsWith(prefix)) return error;
  const rest = error.message.slice(prefix.length).trim();
  if (rest === '' || READS_AFTER_LABEL.test(rest)) return error;
  return { ...error, message: rest.charAt(0).toUpperCase() + rest.slice(1) };
}
