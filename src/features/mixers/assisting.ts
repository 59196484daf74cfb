import type { Db } from '../../db/database.js';
import type { PersonRow } from '../people/presenters.js';
import { findPersonById } from '../people/queries.js';
import { peopleAssistedBy } from './queries.js';

export interface PersonBrief {
  id: string;
  name: string;
  username: string;
}

export interface AssistingView {
  /** Whose mixers `me` may manage, because they named `me` their assistant. */
  people: PersonBrief[];
  /** Whom `me` named their own assistant. */
  assistant: PersonBrief | null;
}

const brief = (person: PersonBrief): PersonBrief => ({ id: person.id, name: person.name, username: person.username });

export async function assistingOf(db: Db, me: PersonRow): Promise<AssistingView> {
  const [people, assistant] = await Promise.all([
    peopleAssistedBy(db, me.id),
    me.assistant_id ? findPersonById(db, me.assistant_id) : undefined,
  ]);
  return { people: people.map(brief), assistant: assistant ? brief(assistant) : null };
}
