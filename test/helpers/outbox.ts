import { after } from 'node:test';
import type { Config } from '../../src/config.js';
import type { Db, Engine } from '../../src/db/database.js';
import type { NotificationChannel, NotificationKind } from '../../src/db/schema.js';
import { createMeeting } from '../../src/features/meetings/service.js';
import type { ChannelLimits } from '../../src/features/notifications/channelLimits.js';
import {
  drainOutbox,
  type NotificationRow,
  type OutboxOptions,
  type OutboxRun,
} from '../../src/features/notifications/outbox.js';
import { buildSenders } from '../../src/features/notifications/senders.js';
import { newId } from '../../src/lib/ids.js';
import type { FakeSlack } from './fakeSlack.js';
import { insertPerson, type PersonSeed } from './people.js';
import type { TestApp } from './server.js';

/** Outbox settings for tests; each file overrides only what its cases depend on. */
export function testOutboxOptions(overrides: Partial<OutboxOptions> = {}): OutboxOptions {
  return {
    batchSize: 50,
    concurrency: 8,
    maxAttempts: 3,
    leaseSeconds: 60,
    baseDelaySeconds: 30,
    maxDelaySeconds: 3600,
    ...overrides,
  };
}

/**
 * Starts a fake (FakeSlack, TestSmtp, FakeMattermost) for the whole test file and stops it when the
 * file is done, so a server is never left listening.
 */
export async function startForFile<T extends { start(): Promise<T>; stop(): Promise<void> }>(fake: T): Promise<T> {
  const started = await fake.start();
  after(() => started.stop());
  return started;
}

export interface DeliverProps {
  options: OutboxOptions;
  /** The clock for claims and retry times. */
  now?: Date | undefined;
  /** Drain through this database instead of the app's (e.g. one that fails on purpose). */
  db?: Db;
  limits?: ChannelLimits;
}

/**
 * One worker run: senders built from the channel settings as they are now (tests change them between
 * runs), the outbox drained, the senders closed.
 */
export async function deliverOutbox(get: () => TestApp, engine: Engine, props: DeliverProps): Promise<OutboxRun> {
  const db = get().ctx.database.db;
  const built = await buildSenders(db, get().config);
  try {
    return await drainOutbox({
      db: props.db ?? db,
      engine,
      senders: built.senders,
      options: props.options,
      workerId: 'test',
      ...(props.now ? { now: props.now } : {}),
      ...(props.limits ? { limits: props.limits } : {}),
    });
  } finally {
    built.close();
  }
}

/**
 * One worker run on a live server's database (the browser tests: SQLite), sending as its channel
 * settings say, retries a second apart.
 */
export async function deliverLive(db: Db, config: Config): Promise<OutboxRun> {
  const built = await buildSenders(db, config);
  try {
    return await drainOutbox({
      db,
      engine: 'sqlite',
      senders: built.senders,
      options: { ...config.notifications.outbox, baseDelaySeconds: 1 },
      workerId: 'browser-test',
    });
  } finally {
    built.close();
  }
}

/** Notification rows, oldest first, narrowed to what a test looks at. */
export function notificationRows(
  db: Db,
  where: { meetingId?: string; channel?: NotificationChannel; kinds?: NotificationKind[] } = {},
): Promise<NotificationRow[]> {
  const { meetingId, channel, kinds } = where;
  return db
    .selectFrom('notifications')
    .selectAll()
    .$if(meetingId !== undefined, (q) => q.where('meeting_id', '=', meetingId as string))
    .$if(channel !== undefined, (q) => q.where('channel', '=', channel as NotificationChannel))
    .$if(kinds !== undefined, (q) => q.where('kind', 'in', kinds as NotificationKind[]))
    .orderBy('created_at')
    .execute();
}

/** A person in the directory whom Slack finds by the e-mail `username@example.org`. */
export async function personOnSlack(db: Db, slack: FakeSlack, seed: PersonSeed): Promise<string> {
  const id = await insertPerson(db, seed);
  slack.addUser(`${seed.username}@example.org`);
  return id;
}

/** `count` meetings of two people each, everyone on Slack; `tag` keeps usernames apart between tests. */
export async function slackMeetings(db: Db, slack: FakeSlack, engine: Engine, count: number, tag: string) {
  for (let i = 0; i < count; i++) {
    const a = await personOnSlack(db, slack, { username: `${engine}${tag}a${i}` });
    const b = await personOnSlack(db, slack, { username: `${engine}${tag}b${i}` });
    await createMeeting({ db, title: `Meeting ${i}`, participantIds: [a, b] });
  }
}

/**
 * A webhook message that failed for good (its receiver answered 500), as the Messages page lists it
 * and "Resend all failed" takes it; `meetingId` null: a meeting that is not stored.
 */
export function failedWebhookRow(props: { key: string; meetingId: string | null; title: string }) {
  const now = new Date().toISOString();
  return {
    id: newId(),
    meeting_id: props.meetingId,
    person_id: null,
    channel: 'webhook' as const,
    kind: 'intro' as const,
    payload: JSON.stringify({
      kind: 'intro',
      meeting: {
        id: props.meetingId ?? props.key,
        title: props.title,
        startsAt: null,
        durationMinutes: null,
        roomName: null,
      },
      participants: [],
    }),
    status: 'failed' as const,
    attempts: 3,
    next_attempt_at: now,
    claimed_until: null,
    claimed_by: null,
    recovered: 0 as const,
    last_error: 'The receiver answered 500.',
    result: null,
    sent_at: null,
    dedupe_key: props.key,
    created_at: now,
    updated_at: now,
  };
}
