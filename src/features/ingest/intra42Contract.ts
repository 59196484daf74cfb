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

const KNOWN_KEYS: readonly string[] = SCALE_TEAM_EVENTS.map((event) => `scale_team.${event}`);

/**
 * The 401, saying which it is: this server has no secret for the claimed model.event (nothing the
 * sender can do: the administrator sets one), none was sent, or the one sent is wrong. Whether a
 * model.event has a secret is configuration, not a secret; the secrets themselves are never named.
 */
function secretRefused(
  secrets: Map<string, string>,
  key: string,
  secret: string,
  claimed: string,
): HeaderCheck & { ok: false } {
  const refused = { ok: false, status: 401, reason: 'secret' } as const;
  if (!secrets.get(key)) {
    const message = KNOWN_KEYS.includes(key)
      ? `X-Secret: this server has no secret for ${key}, so it refuses every ${key} delivery: its administrator adds one to intra42.webhooks (CONVENE_INTRA42_WEBHOOKS), as in ${key}:<secret>.`
      : `X-Secret: this server has no secret for ${quoted(key)}: it takes scale_team.create, scale_team.update and scale_team.destroy only.`;
    return { ...refused, message, detail: `No secret is configured for this model.event; ${claimed}.` };
  }
  if (!secret) {
    const message = `X-Secret: none was sent; a ${key} delivery needs the secret configured for ${key}.`;
    return { ...refused, message, detail: `No X-Secret sent; ${claimed}.` };
  }
  const message = `X-Secret: wrong: it is not the secret this server has for ${key}.`;
  return { ...refused, message, detail: `X-Secret matches no configured secret; ${claimed}.` };
}
// A delivery id is stored and shown: NUL is refused by PostgreSQL (failing the batch it is in).
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * The secret is checked before anything else, in constant time against every configured secret
 * (so timing tells nothing about which model.event pairs exist): a wrong one is 401 whatever else
 * is wrong. Only then are the model, the event and the delivery id looked at. The sender learns
 * which of "none sent", "wrong" or "this server has none for that model.event" it is (the names of
 * the model.events are in the docs; never a secret); the admin's detail says the same.
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
  if (!secret || !matchesAny) return secretRefused(secrets, key, secret, claimed);
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
    const refused = secretRefused(secrets, key, secret, claimed);
    const detail = secrets.get(key) ? `X-Secret is the one configured for another event; ${claimed}.` : refused.detail;
    return { ...refused, detail };
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

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * Date.parse rolls impossible dates forward (2031-02-31 is 3 March, 24:00 the next day): the
 * written day and time must be ones the calendar has. What is wrong with them, or null.
 */
function calendarProblem(iso: string): string | null {
  const [, y, mo, d, h, mi, se] = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(iso) ?? [];
  const [year, month, day] = [Number(y), Number(mo), Number(d)];
  if (month < 1 || month > 12) return `${y}-${mo}-${d} does not exist: there is no month ${mo}`;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > days) {
    return `${y}-${mo}-${d} does not exist: ${MONTHS[month - 1]} ${y} has ${days} days`;
  }
  if (Number(h) > 23 || Number(mi) > 59 || Number(se ?? 0) > 59) {
    return `${h}:${mi}${se === undefined ? '' : `:${se}`} is not a time of day: hours go from 00 to 23, minutes and seconds from 00 to 59`;
  }
  return null;
}

const TIME_FORMS = 'a time such as 2020-07-15T21:00:00.000Z or 2020-05-14 22:30:00 UTC';

/** Both forms the intranet sends: "2020-07-15T21:00:00.000Z" and "2020-05-14 22:30:00 UTC". */
const beginAt = z.string().transform((value, ctx) => {
  const text = value.trim();
  const spaced = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?) UTC$/.exec(text);
  const iso = spaced
    ? `${spaced[1]}T${spaced[2]}Z`
    : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(text)
      ? text
      : null;
  // A written date the calendar does not have says so, not only which forms are taken.
  const problem = iso ? calendarProblem(iso) : null;
  const ms = iso && !problem ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(ms)) {
    const noZone = !iso && /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text);
    ctx.addIssue({
      code: 'custom',
      message: problem
        ? problem
        : noZone
          ? 'has no time zone: end it with Z, an offset such as +02:00, or " UTC"'
          : `must be ${TIME_FORMS}`,
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
