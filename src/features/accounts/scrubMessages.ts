import type { Executor } from '../../db/database.js';
import type { PersonRow } from '../people/presenters.js';

/**
 * The outbox is also the message log: each row keeps a snapshot of who the message was about
 * (names, e-mail addresses, titles, teams of every participant) and what the channel answered.
 * A deleted account's personal data goes from all of them; the rows stay, so the log's counts
 * and the other participants' messages are unchanged. Messages not yet sent to the person are
 * skipped instead: nobody is left to read them.
 */
export async function scrubMessages(
  trx: Executor,
  props: { person: PersonRow; replacementName: string; now: string },
): Promise<{ scrubbed: number }> {
  const { person } = props;
  await trx
    .updateTable('notifications')
    .set({ status: 'skipped', last_error: 'The account was deleted.', updated_at: props.now })
    .where('person_id', '=', person.id)
    .where('status', '=', 'pending')
    .execute();

  const rows = await trx
    .selectFrom('notifications')
    .select(['id', 'payload', 'result', 'last_error'])
    .where((eb) => {
      const mentions = [
        eb('person_id', '=', person.id),
        eb(
          'meeting_id',
          'in',
          eb.selectFrom('meeting_participants').select('meeting_id').where('person_id', '=', person.id),
        ),
        eb('payload', 'like', `%${person.id}%`),
      ];
      if (person.email) mentions.push(eb('payload', 'like', `%${person.email}%`));
      return eb.or(mentions);
    })
    .execute();

  const replaceText = textScrubber(person, props.replacementName);
  let scrubbed = 0;
  for (const row of rows) {
    const payload = JSON.stringify(scrubValue(JSON.parse(row.payload), person, props.replacementName, replaceText));
    const result = row.result === null ? null : replaceText(row.result);
    const lastError = row.last_error === null ? null : replaceText(row.last_error);
    if (payload === row.payload && result === row.result && lastError === row.last_error) continue;
    await trx
      .updateTable('notifications')
      .set({ payload, result, last_error: lastError })
      .where('id', '=', row.id)
      .execute();
    scrubbed++;
  }
  return { scrubbed };
}

/** Replaces the person's full name and e-mail address wherever they appear in free text. */
function textScrubber(person: PersonRow, replacementName: string): (text: string) => string {
  const needles: Array<[string, string]> = [];
  if (person.email) needles.push([person.email, '']);
  // Too short a name would mangle unrelated words; such a name is only replaced where it is a field.
  if (person.name.trim().length >= 2) needles.push([person.name, replacementName]);
  return (text) => needles.reduce((out, [needle, by]) => out.split(needle).join(by), text);
}

/** A participant entry for the person loses every field that says who they were. */
function scrubValue(
  value: unknown,
  person: PersonRow,
  replacementName: string,
  replaceText: (text: string) => string,
): unknown {
  if (typeof value === 'string') return replaceText(value);
  if (Array.isArray(value)) {
    return value
      .filter((item) => !(isRecord(item) && person.email && item.email === person.email && !('id' in item)))
      .map((item) => scrubValue(item, person, replacementName, replaceText));
  }
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) out[key] = scrubValue(inner, person, replacementName, replaceText);
  if (value.id === person.id && 'name' in value) {
    out.name = replacementName;
    for (const key of ['firstName', 'email', 'title', 'team']) if (key in value) out[key] = null;
  }
  return out;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
