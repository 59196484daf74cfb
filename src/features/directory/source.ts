/** The `external_ids.source` of people who come from the staff directory. */
export const DIRECTORY_SOURCE = 'directory';

/**
 * The person's fields a directory import writes, as the admin API names them (`email`, `team`,
 * `managerUsername` and `timezone` only when the feed has that column). The feed is the source of
 * truth for the people it lists: the next import overwrites a manual edit of these fields, which
 * is why the admin console marks them on a directory person.
 */
export const DIRECTORY_FIELDS = [
  'name',
  'username',
  'email',
  'title',
  'team',
  'managerUsername',
  'timezone',
  'avatarUrl',
  'enabled',
] as const;
