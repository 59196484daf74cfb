/** The `external_ids.source` of people who come from the staff directory. */
export const DIRECTORY_SOURCE = 'directory';
