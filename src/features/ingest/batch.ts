import { sql } from 'kysely';
import type { Db, Tx } from '../../db/database.js';
import { isBusy, isUniqueViolation } from '../../db/errors.js';
import type { DeliveryChannel } from '../../db/schema.js';
import { findBadText } from '../../http/textGuard.js';
import { type Intra42Api, Intra42Failure } from '../../integrations/intra42.js';
import { AppError } from '../../lib/errors.js';
import { describeZodError } from '../../lib/zodMessage.js';
import { normaliseUsername } from '../people/email.js';
import { ensurePeople } from '../people/ensurePerson.js';
import { type Claim, claimDeliveries, type DeliveryEnd, destroyedSubjects, finishDeliveries } from './deliveries.js';
import { destroySchema, type ScaleTeamEvent, scaleTeamSchema } from './intra42Contract.js';
import { INTRA42_SOURCE } from './people.js';
import type { Receipt } from './receive.js';
import { applyScaleTeam, applyScaleTeams, type IngestResult, planScaleTeam, type ScaleTeamPlan } from './scaleTeam.js';

/** One delivery whose headers passed: its event, its id and its body (its JSON, or not JSON). */
export interface Arrival {
  event: ScaleTeamEvent;
  deliveryId: string;
  /** tooLarge: its size in bytes, null when the sender did not say (a chunked body cut off). */
  body: { json: unknown } | { notJson: true } | { tooLarge: number | null };
}

/**
 * The largest body read, in bytes: a scale_team is a few kB. The webhook's HTTP parser stops at it
 * (413); a queue message, which the broker may let be far larger (RabbitMQ's max_message_size),
 * is refused unread above it, so one message cannot hold the event loop in JSON.parse or keep a
 * huge parsed object. Its bytes stay in memory until it is dead-lettered, like any message in the
 * prefetch window.
 */
export const MAX_BODY_BYTES = 256 * 1024;

/** A body the HTTP parser stopped reading at MAX_BODY_BYTES: refused like a queue message that size. */
export class Oversized {
  constructor(readonly bytes: number | null) {}
}

/** A body as it came: parsed JSON already (an object), a Buffer/string to parse, or Oversized. */
export function readBody(raw: unknown): Arrival['body'] {
  if (raw instanceof Oversized) return { tooLarge: raw.bytes };
  if (typeof raw !== 'string' && !Buffer.isBuffer(raw)) return { json: raw };
  const bytes = typeof raw === 'string' ? Buffer.byteLength(raw) : raw.length;
  if (bytes > MAX_BODY_BYTES) return { tooLarge: bytes };
  try {
    // Bytes that are not UTF-8 are refused, not turned into U+FFFD inside someone's login.
    return { json: JSON.parse(typeof raw === 'string' ? raw : utf8.decode(raw)) };
  } catch {
    return { notJson: true };
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * What a delivery writes under, for `keyedBatches`: its delivery id, its scale team, and the
 * people its body names (by login, normalised as the people service matches logins). Read from the
 * JSON before any check, so a bad body's keys are only more than needed. A team whose people come
 * from the 42 API adds no people keys: two batches adding one person at once are settled by the
 * database (as between two processes), one of them trying again.
 */
export function arrivalKeys(arrival: Arrival): string[] {
  const keys = [`delivery:${arrival.deliveryId}`];
  if (!('json' in arrival.body)) return keys;
  const body = arrival.body.json as {
    user?: { login?: unknown } | null;
    team?: { users?: unknown } | null;
  } | null;
  if (!body || typeof body !== 'object') return keys;
  const subject = subjectOf(arrival);
  if (subject !== null) keys.push(`scale_team:${subject}`);
  const login = (value: unknown) => {
    if (typeof value === 'string') keys.push(`login:${normaliseUsername(value)}`);
  };
  login(body.user?.login);
  const users = body.team?.users;
  if (Array.isArray(users)) for (const user of users) login((user as { login?: unknown } | null)?.login);
  return keys;
}

/**
 * The scale team a delivery's body names (its `id`, a number or a string of one), also when the
 * body is refused for something else: the admin finds every delivery about one evaluation by it.
 */
export function subjectOf(arrival: Arrival): string | null {
  if (!('json' in arrival.body)) return null;
  const body = arrival.body.json as { id?: unknown } | null;
  if (!body || typeof body !== 'object') return null;
  const id = body.id;
  const n = typeof id === 'string' && /^\s*\d{1,15}\s*$/.test(id) ? Number(id) : id;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? String(n) : null;
}

export interface BatchSettings {
  db: Db;
  api: Intra42Api | null;
  emailDomain: string;
  leaseMs: number;
  channel: DeliveryChannel;
}

type Prepared = { plan: ScaleTeamPlan } | { refused: IngestResult } | { failure: unknown };

/** A failure is worth trying again at once, in the same transaction: a concurrent writer won a race. */
const raced = (error: unknown) => isUniqueViolation(error) || /deadlock detected/i.test(String(error));
const BUSY_TRIES = 5;

/**
 * Deliveries handled together in one database transaction, in the order they came: each one's
 * claim, people, meeting, messages and recorded outcome commit together (a commit costs more than
 * all of one delivery's statements). A delivery that fails does not take the others down: the
 * batch runs again with a savepoint around each delivery, and the failed one alone is recorded
 * failed (for its sender to send again). Copies of a delivery id within a batch answer as
 * duplicates of the first.
 */
export async function ingestBatch(settings: BatchSettings, arrivals: readonly Arrival[]): Promise<Receipt[]> {
  const { db } = settings;
  const prepared = await Promise.all(arrivals.map((a) => prepare(settings, a)));
  const first = new Map<string, number>();
  arrivals.forEach((a, i) => {
    if (!first.has(a.deliveryId)) first.set(a.deliveryId, i);
  });
  const primaries = [...first.values()];
  const subjects = new Map<string, string>();
  const events = new Map<string, string>();
  for (const i of primaries) {
    const arrival = arrivals[i] as Arrival;
    const subject = subjectOf(arrival);
    if (subject !== null) subjects.set(arrival.deliveryId, subject);
    events.set(arrival.deliveryId, arrival.event);
  }

  let outcome: { claims: Map<string, Claim>; results: Map<number, Receipt> } | undefined;
  let failure: unknown;
  for (let attempt = 1; attempt <= BUSY_TRIES && !outcome; attempt++) {
    try {
      // Every delivery at once first; on any failure, again one savepoint each.
      try {
        outcome = await db.transaction().execute((trx) => run(trx, false));
      } catch (error) {
        if (isBusy(error)) throw error;
        outcome = await db.transaction().execute((trx) => run(trx, true));
      }
    } catch (error) {
      failure = error;
      if (!isBusy(error)) break;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
    }
  }
  if (!outcome) {
    const receipt = failedReceipt(failure);
    return arrivals.map(() => receipt);
  }
  const { claims, results } = outcome;
  return arrivals.map((arrival, i) => {
    const own = results.get(i);
    if (own) return own;
    // A copy of a delivery taken earlier in this batch, or one already received before it.
    const claim = claims.get(arrival.deliveryId);
    const before = results.get(first.get(arrival.deliveryId) as number);
    const earlier =
      before && claim?.claimed
        ? {
            outcome: before.outcome === 'ok' || before.outcome === 'ignored' ? before.outcome : ('failed' as const),
            error: before.outcome === 'rejected' ? before.message : null,
            statusCode: before.status,
            deadLettered: false,
          }
        : claim && !claim.claimed
          ? {
              outcome: claim.outcome,
              error: claim.error,
              statusCode: claim.statusCode,
              deadLettered: claim.deadLettered,
            }
          : undefined;
    if (before?.outcome === 'rejected' && earlier) earlier.outcome = 'rejected';
    return {
      status: 200,
      outcome: 'duplicate',
      message: `Delivery ${arrival.deliveryId} was already received (${earlier?.outcome ?? 'processing'}); nothing changed.`,
      meetingId: before?.meetingId ?? (claim && !claim.claimed ? claim.meetingId : null),
      deliveryRowId: claim?.id ?? null,
      ...(earlier && { earlier }),
    };
  });

  async function run(trx: Tx, isolated: boolean) {
    const claims = await claimDeliveries(
      trx,
      INTRA42_SOURCE,
      primaries.map((i) => (arrivals[i] as Arrival).deliveryId),
      { leaseMs: settings.leaseMs, channel: settings.channel, subjects, events },
    );
    const mine = primaries.filter((i) => claims.get((arrivals[i] as Arrival).deliveryId)?.claimed);
    const upsertOf = (p: Prepared) => ('plan' in p && p.plan.kind === 'upsert' ? p.plan : null);
    // A scale team destroyed before (by an earlier batch) stays gone: its create or update is ignored.
    const gone = await destroyedSubjects(
      trx,
      INTRA42_SOURCE,
      mine.flatMap((i) => upsertOf(prepared[i] as Prepared)?.meeting.externalId ?? []),
    );
    const current = new Map<number, Prepared>(
      mine.map((i) => {
        const p = prepared[i] as Prepared;
        const plan = upsertOf(p);
        return [
          i,
          plan && gone.has(plan.meeting.externalId) ? { refused: destroyedBefore(plan.meeting.externalId) } : p,
        ];
      }),
    );
    const plans = mine.flatMap((i) => upsertOf(current.get(i) as Prepared) ?? []);
    // All the batch's people in a few statements (one savepoint each instead, when isolating).
    const people = isolated
      ? undefined
      : await ensurePeople(
          trx,
          INTRA42_SOURCE,
          plans.flatMap((p) => (p.kind === 'upsert' ? p.people : [])),
        );
    const receipts = new Map<number, Receipt>();
    if (!isolated) {
      // The batch's plans carried out together; any failure undoes them all and isolates each.
      const planned = mine.filter((i) => 'plan' in (current.get(i) as Prepared));
      const applied = await applyScaleTeams(
        trx,
        planned.map((i) => (current.get(i) as { plan: ScaleTeamPlan }).plan),
        people as Map<string, string>,
      );
      planned.forEach((i, n) => {
        receipts.set(i, applied[n] as Receipt);
      });
    }
    const results = new Map<number, Receipt>();
    const ends: Array<{ id: string; deliveryId: string; end: DeliveryEnd }> = [];
    for (const [n, i] of mine.entries()) {
      const p = current.get(i) as Prepared;
      const arrival = arrivals[i] as Arrival;
      const claim = claims.get(arrival.deliveryId) as Claim & { claimed: true };
      let receipt: Receipt;
      if ('refused' in p) receipt = p.refused;
      else if ('failure' in p) receipt = failedReceipt(p.failure);
      else receipt = receipts.get(i) ?? (await isolate(trx, `delivery_${n}`, p.plan));
      ends.push({ id: claim.id, deliveryId: arrival.deliveryId, end: endOf(arrival.event, receipt, p) });
      results.set(i, { ...receipt, deliveryRowId: claim.id });
    }
    await finishDeliveries(trx, INTRA42_SOURCE, ends);
    return { claims, results };
  }
}

/** One delivery in a savepoint of its own: a failure undoes its work alone (a lost race is tried once more). */
async function isolate(trx: Tx, name: string, plan: ScaleTeamPlan): Promise<Receipt> {
  for (let tries = 1; ; tries++) {
    await sql`savepoint ${sql.raw(name)}`.execute(trx);
    try {
      const people = await ensurePeople(trx, INTRA42_SOURCE, plan.kind === 'upsert' ? plan.people : []);
      const result = await applyScaleTeam(trx, plan, people);
      await sql`release savepoint ${sql.raw(name)}`.execute(trx);
      return result;
    } catch (error) {
      await sql`rollback to savepoint ${sql.raw(name)}`.execute(trx);
      await sql`release savepoint ${sql.raw(name)}`.execute(trx);
      if (tries < 2 && raced(error)) continue;
      // A person this event names cannot be matched (a login taken by an administrator, an e-mail
      // that is another 42 person's): sending it again changes nothing, so it is refused, not failed.
      if (error instanceof AppError && error.status < 500) {
        return {
          status: error.status,
          outcome: 'rejected',
          message: error.message,
          ...(error.field && { field: error.field }),
        };
      }
      return failedReceipt(error);
    }
  }
}

function endOf(event: ScaleTeamEvent, receipt: Receipt, prepared: Prepared): DeliveryEnd {
  if (receipt.outcome === 'failed') {
    const error = 'failure' in prepared ? prepared.failure : receipt.cause;
    return {
      outcome: 'failed',
      statusCode: receipt.status,
      error: error instanceof Error ? error.message : String(error ?? receipt.message),
    };
  }
  return {
    outcome: receipt.outcome === 'ok' || receipt.outcome === 'ignored' ? receipt.outcome : 'rejected',
    statusCode: receipt.status,
    error: receipt.outcome === 'rejected' ? receipt.message : null,
    summary: `${event}: ${receipt.message}`,
    meetingId: receipt.meetingId ?? null,
  };
}

/** The answer to a create or update of a scale team whose destroy came first. */
function destroyedBefore(externalId: string): IngestResult {
  return {
    status: 200,
    outcome: 'ignored',
    message: `Ignored: scale team ${externalId} was destroyed before this arrived, and a destroyed evaluation is not brought back.`,
  };
}

/** The answer when a delivery could not be stored: try again later (502 when the 42 API failed). */
export function failedReceipt(error: unknown): Receipt {
  const outage = error instanceof Intra42Failure;
  return {
    status: outage ? 502 : 503,
    outcome: 'failed',
    message: outage ? error.message : 'The delivery could not be stored; send it again later.',
    retry: true,
    cause: error,
  };
}

/** The body parsed and checked, and the 42 API asked what it must be: all before any transaction. */
async function prepare(settings: BatchSettings, arrival: Arrival): Promise<Prepared> {
  if ('tooLarge' in arrival.body) {
    const bytes = arrival.body.tooLarge;
    const size = bytes === null ? `over ${MAX_BODY_BYTES / 1024} kB` : `${Math.ceil(bytes / 1024)} kB`;
    const message = `The body is ${size}; at most ${MAX_BODY_BYTES / 1024} kB is read.`;
    return { refused: { status: 413, outcome: 'rejected', message } };
  }
  if (!('json' in arrival.body)) {
    return { refused: { status: 400, outcome: 'rejected', message: 'The body is not valid JSON (in UTF-8).' } };
  }
  const bad = findBadText(arrival.body.json);
  if (bad) {
    const message = bad.path ? `${bad.path}: ${bad.problem}.` : `The body ${bad.problem}.`;
    return { refused: { status: 400, outcome: 'rejected', message, ...(bad.path && { field: bad.path }) } };
  }
  const parsed = (arrival.event === 'destroy' ? destroySchema : scaleTeamSchema).safeParse(arrival.body.json);
  if (!parsed.success) {
    const { field, message } = describeZodError(parsed.error);
    return {
      refused: {
        status: 400,
        outcome: 'rejected',
        message: field ? message : `The body is not a scale_team: ${message}`,
        ...(field && { field }),
      },
    };
  }
  try {
    const plan = await planScaleTeam({
      db: settings.db,
      event: arrival.event,
      body: parsed.data,
      api: settings.api,
      emailDomain: settings.emailDomain,
    });
    return 'kind' in plan ? { plan } : { refused: plan };
  } catch (error) {
    return { failure: error };
  }
}
