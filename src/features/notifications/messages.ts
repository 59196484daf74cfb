import { recordAudit } from '../../db/audit.js';
import type { Db, Executor } from '../../db/database.js';
import type { NotificationChannel, NotificationKind, NotificationStatus } from '../../db/schema.js';
import { conflict, notFound } from '../../lib/errors.js';
import { nowIso } from '../../lib/time.js';
import { parsePayload } from './payload.js';

export const DELIVERY_STATUSES: NotificationStatus[] = ['pending', 'sending', 'sent', 'failed', 'skipped'];
export const NOTIFICATION_KINDS: NotificationKind[] = ['intro', 'reminder', 'rescheduled', 'cancel', 'follow_up'];
export const DELIVERIES_PAGE_SIZE = 25;

export interface DeliveryFilter {
  status?: NotificationStatus | undefined;
  channel?: NotificationChannel | undefined;
  group?: string | undefined;
  kind?: NotificationKind | undefined;
}

export interface DeliveryView {
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
  groupId: string | null;
  groupName: string | null;
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
  nextAttemptAt: string;
}

function matching(db: Executor, filter: DeliveryFilter, withStatus: boolean) {
  return db
    .selectFrom('notifications')
    .leftJoin('meetings', 'meetings.id', 'notifications.meeting_id')
    .$if(withStatus && filter.status !== undefined, (q) => q.where('notifications.status', '=', filter.status!))
    .$if(filter.channel !== undefined, (q) => q.where('notifications.channel', '=', filter.channel!))
    .$if(filter.kind !== undefined, (q) => q.where('notifications.kind', '=', filter.kind!))
    .$if(filter.group !== undefined, (q) => q.where('meetings.group_id', '=', filter.group!));
}

/**
 * Who a row is for — its one person, else the meeting's participants who read that channel — and
 * which of them the chat did not find, by name.
 */
function recipientsOf(
  personName: string | null,
  payloadText: string,
  resultText: string | null,
): Pick<DeliveryView, 'recipients' | 'notFound'> {
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

export async function listDeliveries(
  db: Db,
  filter: DeliveryFilter & { page: number },
): Promise<{
  deliveries: DeliveryView[];
  counts: Record<NotificationStatus, number>;
  total: number;
  pageSize: number;
}> {
  const rows = await matching(db, filter, true)
    .leftJoin('groups', 'groups.id', 'meetings.group_id')
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
      'notifications.created_at',
      'notifications.updated_at',
      'notifications.sent_at',
      'notifications.next_attempt_at',
      'people.name as person_name',
      'meetings.title as meeting_title',
      'meetings.group_id',
      'groups.name as group_name',
    ])
    .orderBy('notifications.created_at', 'desc')
    .orderBy('notifications.id', 'desc')
    .limit(DELIVERIES_PAGE_SIZE)
    .offset((filter.page - 1) * DELIVERIES_PAGE_SIZE)
    .execute();
  // Counts per status ignore the status filter, so every status shows how many it would list.
  const grouped = await matching(db, filter, false)
    .select(['notifications.status', (eb) => eb.fn.countAll().as('n')])
    .groupBy('notifications.status')
    .execute();
  const counts = Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, 0])) as Record<NotificationStatus, number>;
  for (const row of grouped) counts[row.status] = Number(row.n);
  const total = filter.status ? counts[filter.status] : Object.values(counts).reduce((a, b) => a + b, 0);
  return {
    deliveries: rows.map((row) => ({
      id: row.id,
      channel: row.channel,
      kind: row.kind,
      status: row.status,
      attempts: row.attempts,
      lastError: row.last_error,
      ...recipientsOf(row.person_name, row.payload, row.result),
      meetingId: row.meeting_id,
      meetingTitle: row.meeting_title,
      groupId: row.group_id,
      groupName: row.group_name,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      sentAt: row.sent_at,
      nextAttemptAt: row.next_attempt_at,
    })),
    counts,
    total,
    pageSize: DELIVERIES_PAGE_SIZE,
  };
}

const RESENDABLE: NotificationStatus[] = ['failed', 'skipped'];

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

export async function resendDelivery(props: { db: Db; actorId: string; id: string }): Promise<void> {
  await props.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('notifications')
      .select(['id', 'status', 'channel'])
      .where('id', '=', props.id)
      .executeTakeFirst();
    if (!row) throw notFound('No such delivery.');
    if (!RESENDABLE.includes(row.status)) {
      throw conflict(`This message is ${row.status}; only failed or skipped messages can be sent again.`);
    }
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
      action: 'delivery.resend',
      subjectType: 'notification',
      subjectId: row.id,
      data: { from: row.status, channel: row.channel },
    });
  });
}

export async function resendFailed(props: {
  db: Db;
  actorId: string;
  filter: Pick<DeliveryFilter, 'channel' | 'group'>;
}): Promise<number> {
  return props.db.transaction().execute(async (trx) => {
    const { channel, group } = props.filter;
    const result = await trx
      .updateTable('notifications')
      .set(requeue())
      .where('status', '=', 'failed')
      .$if(channel !== undefined, (q) => q.where('channel', '=', channel!))
      .$if(group !== undefined, (q) =>
        q.where('meeting_id', 'in', (eb) => eb.selectFrom('meetings').select('id').where('group_id', '=', group!)),
      )
      .executeTakeFirst();
    const count = Number(result.numUpdatedRows);
    await recordAudit(trx, {
      actorId: props.actorId,
      action: 'delivery.resend_all',
      subjectType: 'notification',
      data: { status: 'failed', channel: channel ?? null, group: group ?? null, count },
    });
    return count;
  });
}
