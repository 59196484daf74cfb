import { recordAudit } from '../../db/audit.js';
import type { Db, Executor } from '../../db/database.js';
import type { NotificationChannel, NotificationKind, NotificationStatus } from '../../db/schema.js';
import { conflict, notFound } from '../../lib/errors.js';
import { nowIso } from '../../lib/time.js';
import { type MessageRef, staleReason, staleReasons } from './freshness.js';
import { type NotificationPayload, parsePayload } from './payload.js';

export const MESSAGE_STATUSES: NotificationStatus[] = ['pending', 'sending', 'sent', 'failed', 'skipped'];
export const NOTIFICATION_KINDS: NotificationKind[] = ['intro', 'reminder', 'rescheduled', 'cancel', 'follow_up'];
export const MESSAGES_PAGE_SIZE = 25;

export interface MessageFilter {
  status?: NotificationStatus | undefined;
  channel?: NotificationChannel | undefined;
  /** A mixer group's id: the same as origin "group:<id>". */
  group?: string | undefined;
  /** "group:<id>", "event:<id>", "source:<name>". */
  origin?: string | undefined;
  kind?: NotificationKind | undefined;
}

export interface MessageView {
  id: string;
  channel: NotificationChannel;
  kind: NotificationKind;
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

function matching(db: Executor, filter: MessageFilter, withStatus: boolean) {
  const origin = originOf(filter);
  return db
    .selectFrom('notifications')
    .$if(withStatus && filter.status !== undefined, (q) => q.where('notifications.status', '=', filter.status!))
    .$if(filter.channel !== undefined, (q) => q.where('notifications.channel', '=', filter.channel!))
    .$if(filter.kind !== undefined, (q) => q.where('notifications.kind', '=', filter.kind!))
    .$if(origin !== undefined, (q) => q.where('notifications.origin', '=', origin!));
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
const titleOf = (payloadText: string): string | null => readPayload(payloadText)?.meeting.title ?? null;

/** By row id, why each row would be skipped if it were sent now (`staleReasons`); a row whose payload does not read is judged by nothing. */
const staleAmong = (db: Executor, rows: ReadonlyArray<MessageRef & { payload: string }>) =>
  staleReasons(
    db,
    rows.flatMap((row) => {
      const payload = readPayload(row.payload);
      return payload ? [{ ...row, payload }] : [];
    }),
  );

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
  const blocked = await staleAmong(
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
  return {
    messages: rows.map((row) => ({
      id: row.id,
      channel: row.channel,
      kind: row.kind,
      status: row.status,
      attempts: row.attempts,
      lastError: row.last_error,
      ...recipientsOf(row.person_name, row.payload, row.result),
      meetingId: row.meeting_id,
      meetingTitle: row.meeting_id ? titleOf(row.payload) : null,
      groupId: row.origin?.startsWith('group:') ? row.origin.slice('group:'.length) : null,
      groupName: row.origin_name,
      origin: row.origin,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      sentAt: row.sent_at,
      nextAttemptAt: row.next_attempt_at,
      canResend: RESENDABLE.includes(row.status) && !blocked.has(row.id),
      resendBlocked: blocked.get(row.id) ?? null,
    })),
    counts,
    total,
    pageSize: MESSAGES_PAGE_SIZE,
  };
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
      .select(['id', 'status', 'channel', 'meeting_id', 'person_id', 'payload'])
      .where('id', '=', props.id)
      .executeTakeFirst();
    if (!row) throw notFound('No such message.');
    if (!RESENDABLE.includes(row.status)) {
      throw conflict(`This message is ${row.status}; only failed or skipped messages can be sent again.`);
    }
    // Queued again only when the outbox would send it: one skipped because its meeting is
    // cancelled would only be skipped again, and "queued again" would promise what never happens.
    const payload = readPayload(row.payload);
    const reason = payload && (await staleReason(trx, payload, new Date(), row));
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
  filter: Pick<MessageFilter, 'channel' | 'group' | 'origin'>;
}): Promise<number> {
  return props.db.transaction().execute(async (trx) => {
    const { channel } = props.filter;
    const origin = originOf(props.filter);
    // A page at a time (by id): after a long outage there may be many, and each page's payloads
    // are parsed and judged before the next is read, so neither memory nor one turn of the event
    // loop grows with their number.
    let count = 0;
    let after = '';
    for (;;) {
      const failed = await trx
        .selectFrom('notifications')
        .select(['id', 'channel', 'meeting_id', 'person_id', 'payload'])
        .where('status', '=', 'failed')
        .where('id', '>', after)
        .$if(channel !== undefined, (q) => q.where('channel', '=', channel!))
        .$if(origin !== undefined, (q) => q.where('origin', '=', origin!))
        .orderBy('id')
        .limit(RESEND_PAGE)
        .execute();
      if (!failed.length) break;
      after = (failed[failed.length - 1] as { id: string }).id;
      // As for one message: those the outbox would skip (their meeting cancelled since) stay failed.
      const blocked = await staleAmong(trx, failed);
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
      data: { status: 'failed', channel: channel ?? null, origin: origin ?? null, count },
    });
    return count;
  });
}
