import { whereKeyIn } from '../../db/bulkInsert.js';
import type { Executor } from '../../db/database.js';

/** How a person is reached and shown in a message, with the assistant who gets a copy. */
export interface Contact {
  id: string;
  name: string;
  firstName: string | null;
  email: string | null;
  timezone: string;
  title: string | null;
  team: string | null;
  enabled: boolean;
  assistant: { name: string; email: string } | null;
}

/** Contacts by id, for people who take part in meetings (any order; unknown ids are left out). */
export async function contactsOf(db: Executor, personIds: string[]): Promise<Map<string, Contact>> {
  const out = new Map<string, Contact>();
  const ids = [...new Set(personIds)];
  for (let i = 0; i < ids.length; i += 400) {
    const query = db
      .selectFrom('people')
      .leftJoin('people as assistant', 'assistant.id', 'people.assistant_id')
      .select([
        'people.id',
        'people.name',
        'people.first_name',
        'people.email',
        'people.timezone',
        'people.title',
        'people.team',
        'people.enabled',
        'assistant.name as assistant_name',
        'assistant.email as assistant_email',
        'assistant.enabled as assistant_enabled',
      ]);
    const rows = await whereKeyIn(db, query, 'people.id', ids.slice(i, i + 400)).execute();
    for (const p of rows) {
      out.set(p.id, {
        id: p.id,
        name: p.name,
        firstName: p.first_name,
        email: p.email,
        timezone: p.timezone,
        title: p.title,
        team: p.team,
        enabled: p.enabled === 1,
        assistant:
          p.assistant_email && p.assistant_enabled === 1
            ? { name: p.assistant_name ?? '', email: p.assistant_email }
            : null,
      });
    }
  }
  return out;
}
