import type { Executor } from '../../db/database.js';
import type { PersonRow } from '../people/presenters.js';

/** The `external_ids.source` of people who come from the staff directory. */
export const DIRECTORY_SOURCE = 'directory';

/** SQLite limits how many parameters one statement may bind: lookups go in chunks of this size. */
export const CHUNK = 500;

export function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** directory id → person id, for the given directory ids. */
export async function directoryLinksByExternalId(db: Executor, externalIds: string[]): Promise<Map<string, string>> {
  const links = new Map<string, string>();
  for (const chunk of chunks(externalIds)) {
    const rows = await db
      .selectFrom('external_ids')
      .select(['external_id', 'person_id'])
      .where('source', '=', DIRECTORY_SOURCE)
      .where('external_id', 'in', chunk)
      .execute();
    for (const row of rows) links.set(row.external_id, row.person_id);
  }
  return links;
}

/** person id → directory id, for the given people. */
export async function directoryIdsOfPeople(db: Executor, personIds: string[]): Promise<Map<string, string>> {
  const links = new Map<string, string>();
  for (const chunk of chunks(personIds)) {
    const rows = await db
      .selectFrom('external_ids')
      .select(['external_id', 'person_id'])
      .where('source', '=', DIRECTORY_SOURCE)
      .where('person_id', 'in', chunk)
      .execute();
    for (const row of rows) links.set(row.person_id, row.external_id);
  }
  return links;
}

export async function peopleWhere(
  db: Executor,
  column: 'id' | 'username' | 'email',
  values: string[],
): Promise<PersonRow[]> {
  const people: PersonRow[] = [];
  for (const chunk of chunks([...new Set(values)])) {
    people.push(...(await db.selectFrom('people').selectAll().where(column, 'in', chunk).execute()));
  }
  return people;
}

/** Every enabled person linked to the directory, with their directory id: the candidates for pruning. */
export function enabledDirectoryPeople(
  db: Executor,
): Promise<Array<{ person_id: string; external_id: string; role: string }>> {
  return db
    .selectFrom('external_ids')
    .innerJoin('people', 'people.id', 'external_ids.person_id')
    .select(['external_ids.person_id', 'external_ids.external_id', 'people.role'])
    .where('external_ids.source', '=', DIRECTORY_SOURCE)
    .where('people.enabled', '=', 1)
    .execute();
}
