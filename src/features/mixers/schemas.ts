// The request and response schemas of the Mixers API live in the shared contract, which the web app reads too.
import type { z } from 'zod';
import {
  createGroupBody as contractCreateGroupBody,
  updateGroupBody as contractUpdateGroupBody,
  messageTemplate,
} from '../../contract/mixers.js';
import { checkedTemplate } from '../notifications/templates.js';

export * from '../../contract/mixers.js';

/**
 * A message template as the server accepts it: the contract's shape, plus a Mustache syntax check
 * when it is saved, so a typo never reaches anyone's inbox as blank text. The check needs the
 * template engine, which is server code, so it stays out of the contract.
 */
const template = checkedTemplate(messageTemplate.unwrap()).nullable();

export const createGroupBody = contractCreateGroupBody.extend({
  introTemplate: template.default(null),
  reminderTemplate: template.default(null),
  followUpTemplate: template.default(null),
});
export const updateGroupBody = contractUpdateGroupBody.extend({
  introTemplate: template.optional(),
  reminderTemplate: template.optional(),
  followUpTemplate: template.optional(),
});

type MessageSettings = 'reminderTemplate' | 'followUpTemplate' | 'reminderMinutes' | 'followUpDays' | 'chatChannel';
/** Callers that predate message settings (demo, imports) may leave them out: the defaults apply. */
export type CreateGroupInput = Omit<z.infer<typeof createGroupBody>, MessageSettings> &
  Partial<Pick<z.infer<typeof createGroupBody>, MessageSettings>>;
export type UpdateGroupInput = z.infer<typeof updateGroupBody>;
