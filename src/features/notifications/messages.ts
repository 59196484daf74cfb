import { recordAudit } from '../../db/audit.js';
import type { Db, Executor } from '../../db/database.js';
import type { NotificationChannel, NotificationKind, NotificationStatus } from '../../db/schema.js';
import { conflict, notFound } from '../../lib/errors.js';
import { nowIso } from '../../lib/time.js';
import { meetingTitle, participationOf } from '../meetings/queries.js';
import { type MessageRef, staleReasons } from './freshness.js';
import { isRemoval, type NotificationPayload, parsePayload } from './payload.js';

export const MESSAGE_STATUSES: NotificationStatus[] = ['pending', 'sending', 'sent', 'failed', 'skipped'];
export const NOTIFICATION_KINDS: NotificationKind[] = ['intro', 'reminder', 'rescheduled', 'cancel', 'follow_up'];
export const MESSAGES_PAGE_SIZE = 25;

/** What the page tells apart: the stored kinds, and a 'cancel' that is a removal notice (`isRemoval`). */
export type MessageKind = NotificationKind | 'removal';

export interface MessageFilter {
  status?: NotificationStatus | undefined;
  channel?: NotificationChannel | undefined;
  /** A mixer group's id: the same as origin "group:<id>". */
  group?: string | undefined;
  /** "group:<id>", "event:<id>", "source:<name>". */
  origin?: string | undefined;
  /** 'cancel' is a whole meeting's cancellation; 'removal' the notice to people taken out of one. */
  kind?: MessageKind | undefined;
  /** One meeting's messages. */
  meeting?: string | undefined;
}

export interface MessageView {
  id: string;
  channel: NotificationChannel;
  kind: MessageKind;
  status: NotificationStatus;
  attempts: number;
  lastError: string | null;
  recipients: string[];
  /** Recipients the chat said it found no account for (Slack, Mattermost): not reached. */
  notFound: string[];
  meetingId: string | null;
  meetingTitle: string | null;
  /** The mixer group, for a pairing's messages. */
  groupId: string | null;
  /** The origin's name (a group's, an event's, a source's). */
  groupName: string | null;
  origin: string | null;
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
  nextAttemptAt: string;
  /** "Resend" would queue it and the outbox would send it (failed or skipped, and still worth sending). */
  canResend: boolean;
  /** A failed or skipped message that resending would not send: why (the outbox's own skip reason). */
  resendBlocked: string | null;
}

const originOf = (filter: Pick<MessageFilter, 'group' | 'origin'>) =>
  filter.origin ?? (filter.group !== undefined ? `group:${filter.group}` : undefined);

/**
 * A removal notice's payload holds `"removed":["<id>",…]` (queue.ts writes it with JSON.stringify,
 * so without spaces; a cancellation of the whole meeting has no such key, and removalsBecomeCancellations
 * drops it). The same text cannot come from a value: a quote inside a JSON string is escaped (`\"`).
 * Plain LIKE reads alike on SQLite and PostgreSQL, whose payload column is text on both.
 */
const REMOVED_KEY = '%"removed":["%';

function matching(db: Executor, filter: MessageFilter, withStatus: boolean) {
  const origin = originOf(filter);
  const kind = filter.kind === 'removal' ? 'cancel' : filter.kind;
  return db
    .selectFrom('notifications')
    .$if(withStatus && filter.status !== undefined, (q) => q.where('notifications.status', '=', filter.status!))
    .$if(filter.channel !== undefined, (q) => q.where('notifications.channel', '=', filter.channel!))
    .$if(kind !== undefined, (q) => q.where('notifications.kind', '=', kind!))
    .$if(filter.kind === 'removal', (q) => q.where('notifications.payload', 'like', REMOVED_KEY))
    .$if(filter.kind === 'cancel', (q) => q.where('notifications.payload', 'not like', REMOVED_KEY))
    .$if(origin !== undefined, (q) => q.where('notifications.origin', '=', origin!))
    .$if(filter.meeting !== undefined, (q) => q.where('notifications.meeting_id', '=', filter.meeting!));
}

/**
 * Who a row is for — its one person, else the meeting's participants who read that channel — and
 * which of them the chat did not find, by name.
 */
function recipientsOf(
  personName: string | null,
  payloadText: string,
  resultText: string | null,
): Pick<MessageView, 'recipients' | 'notFound'> {
  if (personName) return { recipients: [personName], notFound: [] };
  try {
    const payload = parsePayload(payloadText);
    const readers = payload.readers ? new Set(payload.readers) : null;
    const result = JSON.parse(resultText ?? '{}') as { notFound?: unknown };
    const missed = new Set(Array.isArray(result.notFound) ? result.notFound.map(String) : []);
    const people = payload.participants.filter((p) => !readers || readers.has(p.id));
    return {
      recipients: people.map((p) => p.name),
      notFound: people.filter((p) => missed.has(p.id)).map((p) => p.name),
    };
  } catch {
    return { recipients: [], notFound: [] };
  }
}

/** A row's payload, or null when its text does not read as one. */
const readPayload = (text: string): NotificationPayload | null => {
  try {
    return parsePayload(text);
  } catch {
    return null;
  }
};

/** The meeting's title as the message said it (the payload is the message's own snapshot). */
const titleOf = (payload: NotificationPayload | null): string | null => payload?.meeting.title ?? null;

/** The kinds that speak to someone as taking part in the meeting: not for a person taken out of it. */
const TAKING_PART: NotificationKind[] = ['intro', 'reminder', 'rescheduled', 'follow_up'];

export const REMOVED_FROM_MEETING = 'They were removed from the meeting, which goes on without them.';

/**
 * By row id, the rows about taking part in a meeting (an intro, a reminder…) whose readers are all
 * no longer in it: removed by its source since it was queued. Told first, before what else changed
 * (a reminder skipped by the same update says only "The meeting changed."), and never resent: the
 * outbox would send it, the meeting still being on. Two queries per 500 meetings
 * (meetings/queries.ts `participationOf`).
 */
async function removedAmong(
  db: Executor,
  rows: ReadonlyArray<MessageRef & { kind: NotificationKind; payload: NotificationPayload }>,
): Promise<Map<string, string>> {
  const readersOf = (row: (typeof rows)[number]): string[] =>
    row.person_id ? [row.person_id] : row.channel === 'webhook' ? [] : (row.payload.readers ?? []);
  const about = rows.filter((r) => r.meeting_id && TAKING_PART.includes(r.kind) && readersOf(r).length);
  const meetingIds = [...new Set(about.map((r) => r.meeting_id as string))];
  // A meeting that is gone: freshness.ts says so.
  const { meetings: meetingsFound, taking: inMeeting } = await participationOf(db, meetingIds);
  const reasons = new Map<string, string>();
  for (const row of about) {
    if (!meetingsFound.has(row.meeting_id as string)) continue;
    if (readersOf(row).every((id) => !inMeeting.has(`${row.meeting_id}:${id}`)))
      reasons.set(row.id, REMOVED_FROM_MEETING);
  }
  return reasons;
}

/**
 * By row id, why each row would not go out if it were sent again: its readers were removed from the
 * meeting, else the outbox's own skip reason (`staleReasons`); a row whose payload does not read is
 * judged by nothing.
 */
async function blockedAmong(
  db: Executor,
  rows: ReadonlyArray<MessageRef & { kind: NotificationKind; payload: string }>,
): Promise<Map<string, string>> {
  const read = rows.flatMap((row) => {
    const payload = readPayload(row.payload);
    return payload ? [{ ...row, payload }] : [];
  });
  const removed = await removedAmong(db, read);
  const stale = await staleReasons(
    db,
    read.filter((row) => !removed.has(row.id)),
  );
  return new Map([...stale, ...removed]);
}

export async function listMessages(
  db: Db,
  filter: MessageFilter & { page: number },
): Promise<{
  messages: MessageView[];
  counts: Record<NotificationStatus, number>;
  total: number;
  pageSize: number;
}> {
  const rows = await matching(db, filter, true)
    .leftJoin('people', 'people.id', 'notifications.person_id')
    .select([
      'notifications.id',
      'notifications.channel',
      'notifications.kind',
      'notifications.status',
      'notifications.attempts',
      'notifications.last_error',
      'notifications.payload',
      'notifications.result',
      'notifications.meeting_id',
      'notifications.person_id',
      'notifications.created_at',
      'notifications.updated_at',
      'notifications.sent_at',
      'notifications.next_attempt_at',
      'people.name as person_name',
      'notifications.origin',
      'notifications.origin_name',
    ])
    .orderBy('notifications.created_at', 'desc')
    .orderBy('notifications.id', 'desc')
    .limit(MESSAGES_PAGE_SIZE)
    .offset((filter.page - 1) * MESSAGES_PAGE_SIZE)
    .execute();
  // The one rule "Resend" follows: a failed or skipped message the outbox would skip again is not offered.
  const blocked = await blockedAmong(
    db,
    rows.filter((row) => RESENDABLE.includes(row.status)),
  );
  // Counts per status ignore the status filter, so every status shows how many it would list.
  const grouped = await matching(db, filter, false)
    .select(['notifications.status', (eb) => eb.fn.countAll().as('n')])
    .groupBy('notifications.status')
    .execute();
  const counts = Object.fromEntries(MESSAGE_STATUSES.map((s) => [s, 0])) as Record<NotificationStatus, number>;
  for (const row of grouped) counts[row.status] = Number(row.n);
  const total = filter.status ? counts[filter.status] : Object.values(counts).reduce((a, b) => a + b, 0);
  const meeting = filter.meeting === undefined ? undefined : ((await meetingTitle(db, filter.meeting)) ?? null);
  return {
    ...(meeting !== undefined && { meeting }),
    messages: rows.map((row) => {
      const payload = readPayload(row.payload);
      return {
        id: row.id,
        channel: row.channel,
        kind: payload && isRemoval(payload) ? ('removal' as const) : row.kind,
        status: row.status,
        attempts: row.attempts,
        lastError: row.last_error,
        ...recipientsOf(row.person_name, row.payload, row.result),
        meetingId: row.meeting_id,
        meetingTitle: row.meeting_id ? titleOf(payload) : null,
        groupId: row.origin?.startsWith('group:') ? row.origin.slice('group:'.length) : null,
        groupName: row.origin_name,
        origin: row.origin,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
        sentAt: row.sent_at,
        nextAttemptAt: row.next_attempt_at,
        canResend: RESENDABLE.includes(row.status) && !blocked.has(row.id),
        resendBlocked: blocked.get(row.id) ?? null,
      };
    }),
    counts,
    total,
    pageSize: MESSAGES_PAGE_SIZE,
  };
}

export interface MessageOrigin {
  origin: string;
  type: 'group' | 'event' | 'source';
  name: string;
  count: number;
}

const ORIGIN_TYPES = ['group', 'event', 'source'] as const;

/**
 * Every origin some message was queued for — mixer groups, unconferences (events), sources of
 * meetings from outside — with its name as the newest of its messages recorded it (a group renamed
 * since shows its new name) and how many messages it has: what the page's Origin filter offers.
 * One grouped scan; groups first, then events, then sources, each by name.
 */
export async function listMessageOrigins(db: Executor): Promise<MessageOrigin[]> {
  const rows = await db
    .selectFrom('notifications')
    .select(['origin', 'origin_name', (eb) => eb.fn.countAll().as('n'), (eb) => eb.fn.max('created_at').as('latest')])
    .where('origin', 'is not', null)
    .groupBy(['origin', 'origin_name'])
    .execute();
  const byOrigin = new Map<string, MessageOrigin & { latest: string; named: boolean }>();
  for (const row of rows) {
    const origin = row.origin as string;
    const colon = origin.indexOf(':');
    const prefix = origin.slice(0, Math.max(colon, 0));
    const type = (ORIGIN_TYPES as readonly string[]).includes(prefix) ? (prefix as MessageOrigin['type']) : 'source';
    const latest = String(row.latest);
    const n = Number(row.n);
    const seen = byOrigin.get(origin);
    if (!seen) {
      const name = row.origin_name || origin.slice(colon + 1) || origin;
      byOrigin.set(origin, { origin, type, name, count: n, latest, named: Boolean(row.origin_name) });
      continue;
    }
    seen.count += n;
    if (row.origin_name && (!seen.named || latest > seen.latest)) {
      Object.assign(seen, { name: row.origin_name, latest, named: true });
    }
  }
  return [...byOrigin.values()]
    .sort(
      (a, b) =>
        ORIGIN_TYPES.indexOf(a.type) - ORIGIN_TYPES.indexOf(b.type) ||
        a.name.localeCompare(b.name) ||
        a.origin.localeCompare(b.origin),
    )
    .map(({ latest: _latest, named: _named, ...origin }) => origin);
}

const RESENDABLE: NotificationStatus[] = ['failed', 'skipped'];

/** Resending that the outbox would skip again is refused, with the outbox's reason (409). */
export const notResent = (reason: string) =>
  conflict(`This message is not sent again: ${reason.charAt(0).toLowerCase()}${reason.slice(1)}`);

/** Back to the queue, due now, with a fresh set of attempts; the old error stays until it sends. */
const requeue = () => {
  const now = nowIso();
  return {
    status: 'pending' as const,
    attempts: 0,
    next_attempt_at: now,
    claimed_by: null,
    claimed_until: null,
    recovered: 0 as const,
    updated_at: now,
  };
};

export async function resendMessage(props: { db: Db; actorId: string; id: string }): Promise<void> {
  await props.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('notifications')
      .select(['id', 'status', 'kind', 'channel', 'meeting_id', 'person_id', 'payload'])
      .where('id', '=', props.id)
      .executeTakeFirst();
    if (!row) throw notFound('No such message.');
    if (!RESENDABLE.includes(row.status)) {
      throw conflict(`This message is ${row.status}; only failed or skipped messages can be sent again.`);
    }
    // Queued again only when the outbox would send it: one skipped because its meeting is
    // cancelled would only be skipped again, and "queued again" would promise what never happens.
    // Nor to people removed from the meeting since: the outbox would send them that.
    const reason = (await blockedAmong(trx, [row])).get(row.id);
    if (reason) throw notResent(reason);
    // Guarded by status too: a worker that touched the row meanwhile wins.
    const updated = await trx
      .updateTable('notifications')
      .set(requeue())
      .where('id', '=', row.id)
      .where('status', 'in', RESENDABLE)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw conflict('This message changed meanwhile; reload and try again.');
    await recordAudit(trx, {
      actorId: props.actorId,
      action: 'message.resend',
      subjectType: 'notification',
      subjectId: row.id,
      data: { from: row.status, channel: row.channel },
    });
  });
}

const RESEND_PAGE = 500;

export async function resendFailed(props: {
  db: Db;
  actorId: string;
  filter: Pick<MessageFilter, 'channel' | 'group' | 'origin' | 'kind' | 'meeting'>;
}): Promise<number> {
  return props.db.transaction().execute(async (trx) => {
    const { channel, kind, meeting } = props.filter;
    const origin = originOf(props.filter);
    // A page at a time (by id): after a long outage there may be many, and each page's payloads
    // are parsed and judged before the next is read, so neither memory nor one turn of the event
    // loop grows with their number.
    let count = 0;
    let after = '';
    for (;;) {
      // The page's filters, but for the status (failed ones only).
      const failed = await matching(trx, { channel, origin, kind, meeting }, false)
        .select([
          'notifications.id',
          'notifications.kind',
          'notifications.channel',
          'notifications.meeting_id',
          'notifications.person_id',
          'notifications.payload',
        ])
        .where('notifications.status', '=', 'failed')
        .where('notifications.id', '>', after)
        .orderBy('notifications.id')
        .limit(RESEND_PAGE)
        .execute();
      if (!failed.length) break;
      after = (failed[failed.length - 1] as { id: string }).id;
      // As for one message: those the outbox would skip (their meeting cancelled since), or that
      // would reach people removed from their meeting, stay failed.
      const blocked = await blockedAmong(trx, failed);
      const ids = failed.filter((row) => !blocked.has(row.id)).map((row) => row.id);
      if (ids.length) {
        const result = await trx
          .updateTable('notifications')
          .set(requeue())
          .where('id', 'in', ids)
          .where('status', '=', 'failed')
          .executeTakeFirst();
        count += Number(result.numUpdatedRows);
      }
    }
    await recordAudit(trx, {
      actorId: props.actorId,
      action: 'message.resend_all',
      subjectType: 'notification',
      data: {
        status: 'failed',
        channel: channel ?? null,
        origin: origin ?? null,
        kind: kind ?? null,
        meeting: meeting ?? null,
        count,
      },
    });
    return count;
  });
}
