import { z } from 'zod';
import type { RefusalReason } from '../../db/schema.js';
import { textProblem } from '../../http/textGuard.js';
import { constantTimeEqual } from '../../lib/ids.js';
import { changeTimeIsNear } from '../meetings/external.js';

/**
 * The 42 intranet's webhook contract, shared by the HTTP endpoint and the RabbitMQ consumer:
 * headers X-Model, X-Event, X-Secret, X-Delivery and a `scale_team` body.
 */
export const SCALE_TEAM_EVENTS = ['create', 'update', 'destroy'] as const;
export type ScaleTeamEvent = (typeof SCALE_TEAM_EVENTS)[number];

/** "scale_team.create:s1,scale_team.update:s2" → a secret per "model.event". */
export function parseWebhookSecrets(config: string): Map<string, string> {
  const secrets = new Map<string, string>();
  for (const pair of config.split(',')) {
    const at = pair.indexOf(':');
    if (at > 0) secrets.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
  }
  return secrets;
}

export type HeaderCheck =
  | { ok: true; model: 'scale_team'; event: ScaleTeamEvent; deliveryId: string }
  | {
      ok: false;
      status: 400 | 401;
      field?: string;
      message: string;
      /** For the admin's record of refusals: one of a fixed set, and what was claimed (never the secret). */
      reason: RefusalReason;
      detail: string;
    };

const header = (value: unknown): string => {
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (Array.isArray(value)) return header(value[0]);
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
};

/** An attacker-chosen header, short enough for a one-line note. */
const quoted = (value: string) => JSON.stringify(value.slice(0, 40));

const WRONG_SECRET = 'X-Secret: missing or wrong.';
// A delivery id is stored and shown: NUL is refused by PostgreSQL (failing the batch it is in).
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * The secret is checked before anything else, in constant time against every configured secret
 * (so timing tells nothing about which model.event pairs exist): a wrong one is 401 whatever else
 * is wrong. Only then are the model, the event and the delivery id looked at. The sender learns
 * only "missing or wrong"; the admin's detail says which, and for which model.event.
 */
export function checkHeaders(secrets: Map<string, string>, headers: Record<string, unknown>): HeaderCheck {
  const model = header(headers['x-model']);
  const event = header(headers['x-event']);
  const secret = header(headers['x-secret']);
  const key = `${model}.${event}`;
  const claimed = `X-Model ${quoted(model)}, X-Event ${quoted(event)}`;
  let matchesOwn = false;
  let matchesAny = false;
  for (const [pair, expected] of secrets) {
    const equal = constantTimeEqual(secret, expected);
    if (equal) matchesAny = true;
    if (equal && pair === key) matchesOwn = true;
  }
  if (!secret || !matchesAny) {
    const detail = !secret ? `No X-Secret sent; ${claimed}.` : `X-Secret matches no configured secret; ${claimed}.`;
    return { ok: false, status: 401, message: WRONG_SECRET, reason: 'secret', detail };
  }
  if (model !== 'scale_team') {
    const message = `X-Model: unknown model ${quoted(model)}.`;
    return { ok: false, status: 400, field: 'X-Model', message, reason: 'model', detail: message };
  }
  if (!(SCALE_TEAM_EVENTS as readonly string[]).includes(event)) {
    const message = `X-Event: unknown event ${quoted(event)}.`;
    return { ok: false, status: 400, field: 'X-Event', message, reason: 'event', detail: message };
  }
  // A secret of another event does not open this one.
  if (!matchesOwn) {
    const detail = `X-Secret is the one configured for another event; ${claimed}.`;
    return { ok: false, status: 401, message: WRONG_SECRET, reason: 'secret', detail };
  }
  const deliveryId = header(headers['x-delivery']).trim();
  const wrong = !deliveryId
    ? 'is required'
    : deliveryId.length > 200
      ? `is ${deliveryId.length} characters long; 200 at most`
      : CONTROL.test(deliveryId) || textProblem(deliveryId)
        ? 'must be printable text (no control characters, no broken characters)'
        : null;
  if (wrong) {
    return {
      ok: false,
      status: 400,
      field: 'X-Delivery',
      message: `X-Delivery: a delivery id ${wrong}.`,
      reason: 'delivery_id',
      detail: deliveryId ? `X-Delivery ${wrong}.` : 'No X-Delivery sent.',
    };
  }
  return { ok: true, model: 'scale_team', event: event as ScaleTeamEvent, deliveryId };
}

/**
 * Date.parse rolls impossible dates forward (2031-02-31 is 3 March, 24:00 the next day): the
 * written day and time must be ones the calendar has.
 */
function realDate(iso: string): boolean {
  const [, y, mo, d, h, mi] = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso) ?? [];
  const day = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  return (
    day.getUTCFullYear() === Number(y) &&
    day.getUTCMonth() === Number(mo) - 1 &&
    day.getUTCDate() === Number(d) &&
    Number(h) < 24 &&
    Number(mi) < 60
  );
}

/** Both forms the intranet sends: "2020-07-15T21:00:00.000Z" and "2020-05-14 22:30:00 UTC". */
const beginAt = z.string().transform((value, ctx) => {
  const text = value.trim();
  const spaced = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?) UTC$/.exec(text);
  const iso = spaced
    ? `${spaced[1]}T${spaced[2]}Z`
    : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(text)
      ? text
      : null;
  const ms = iso ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(ms) || !realDate(iso as string)) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be a time such as 2020-07-15T21:00:00.000Z or 2020-05-14 22:30:00 UTC',
    });
    return z.NEVER;
  }
  return new Date(ms).toISOString();
});

/**
 * A 42 login as the intranet makes them (letters and digits, with single '.', '_' or '-' between):
 * it becomes a username and, for a person the 42 API cannot give an e-mail, `login@emailDomain`,
 * so anything else (a space, '<', '@') would make an address no message can go to.
 */
const LOGIN = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/i;
export const isLogin = (text: string): boolean => text.length <= 64 && LOGIN.test(text);
const login = z
  .string()
  .trim()
  .min(1)
  .refine(isLogin, "must be a 42 login: up to 64 letters and digits, with single '.', '_' or '-' between them");

// The newest change wins: one dated years ahead would make every real update after it "stale".
const changedAt = beginAt.refine(changeTimeIsNear, 'must not be more than a day in the future').nullish();

/** The parts of a scale_team that Convene uses; anything else the intranet sends is ignored. */
export const scaleTeamSchema = z.object({
  id: z.number().int().positive(),
  begin_at: beginAt.nullish(),
  updated_at: changedAt,
  user: z.object({ login: login.nullish() }).nullish(),
  team: z
    .object({
      id: z.number().int().positive(),
      name: z.string().max(200).nullish(),
      users: z.array(z.object({ login })).max(50).nullish(),
    })
    .nullish(),
  scale: z.object({ duration: z.number().int().min(0).max(86_400).nullish() }).nullish(),
});
export type ScaleTeam = z.infer<typeof scaleTeamSchema>;

/** A destroy needs only the id; its updated_at, when sent, makes an older update arriving later stale. */
export const destroySchema = z.object({ id: z.number().int().positive(), updated_at: changedAt });
