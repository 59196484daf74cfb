import { recordAudit } from '../../db/audit.js';
import type { Db } from '../../db/database.js';
import { badRequest } from '../../lib/errors.js';
import { nowIso } from '../../lib/time.js';
import { findPersonByLogin } from './queries.js';

/** Names (or, with null, removes) the assistant who may manage this person's mixers. */
export async function setAssistant(props: {
  db: Db;
  personId: string;
  assistantUsername: string | null;
}): Promise<{ id: string; name: string; username: string } | null> {
  return props.db.transaction().execute(async (trx) => {
    let assistant: { id: string; name: string; username: string } | null = null;
    if (props.assistantUsername) {
      const found = await findPersonByLogin(trx, props.assistantUsername);
      if (!found || found.enabled !== 1) throw badRequest('username: nobody with that username or e-mail', 'username');
      if (found.id === props.personId) throw badRequest('username: you cannot be your own assistant', 'username');
      assistant = { id: found.id, name: found.name, username: found.username };
    }
    await trx
      .updateTable('people')
      .set({ assistant_id: assistant?.id ?? null, updated_at: nowIso() })
      .where('id', '=', props.personId)
      .execute();
    await recordAudit(trx, {
      actorId: props.personId,
      action: 'person.set_assistant',
      subjectType: 'person',
      subjectId: props.personId,
      data: { assistantId: assistant?.id ?? null },
    });
    return assistant;
  });
}
