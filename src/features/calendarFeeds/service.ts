import { recordAudit } from '../../db/audit.js';
import type { Db, Executor } from '../../db/database.js';
import { isUniqueViolation } from '../../db/errors.js';
import { lockRow } from '../../db/rowLock.js';
import { hashToken, newId, newToken } from '../../lib/ids.js';
import { nowIso } from '../../lib/time.js';
import type { PersonRow } from '../people/presenters.js';
import { findPersonById } from '../people/queries.js';

/**
 * Per-person calendar feed URLs: `/api/v1/feeds/<token>/…ics`, read by calendar apps without a
 * cookie. The token (256 random bits) is shown once, when made; only its SHA-256 is stored. A person
 * has at most one live feed token: making a new one (rotate) revokes the old, and a revoked token
 * answers 410 Gone so calendar apps stop polling, while a token never issued answers 404.
 */

export interface FeedRow {
  id: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** Touching last_used_at at most this often: calendar apps poll, a write per poll is waste. */
const TOUCH_EVERY_MS = 60 * 60 * 1000;

export async function feedOf(db: Executor, personId: string): Promise<FeedRow | null> {
  const row = await db
    .selectFrom('calendar_feeds')
    .select(['id', 'created_at', 'last_used_at'])
    .where('person_id', '=', personId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  return row ? { id: row.id, createdAt: row.created_at, lastUsedAt: row.last_used_at } : null;
}

/** Makes the person's feed token, revoking any earlier one in the same transaction (rotation). */
export async function rotateFeedToken(props: {
  db: Db;
  personId: string;
  actorId: string;
}): Promise<FeedRow & { token: string }> {
  // A concurrent rotation may win the "one live token" index: then revoke its token and try again.
  for (let attempt = 1; ; attempt++) {
    try {
      return await rotateOnce(props);
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= 5) throw error;
    }
  }
}

async function rotateOnce(props: { db: Db; personId: string; actorId: string }): Promise<FeedRow & { token: string }> {
  const token = newToken();
  const now = nowIso();
  const id = newId();
  await props.db.transaction().execute(async (trx) => {
    // Two rotations for one person queue up instead of one failing on the one-live-token index.
    await lockRow(trx, 'people', props.personId);
    const revoked = await trx
      .updateTable('calendar_feeds')
      .set({ revoked_at: now })
      .where('person_id', '=', props.personId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    await trx
      .insertInto('calendar_feeds')
      .values({ id, person_id: props.personId, token_hash: hashToken(token), created_at: now, last_used_at: null })
      .execute();
    await recordAudit(trx, {
      actorId: props.actorId,
      action: Number(revoked.numUpdatedRows) > 0 ? 'calendar_feed.rotated' : 'calendar_feed.created',
      subjectType: 'person',
      subjectId: props.personId,
      data: { feedId: id },
    });
  });
  return { id, createdAt: now, lastUsedAt: null, token };
}

/** Revokes the person's feed token: its URLs answer 410 from now on. False when there was none. */
export async function revokeFeedToken(props: { db: Db; personId: string; actorId: string }): Promise<boolean> {
  return props.db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('calendar_feeds')
      .set({ revoked_at: nowIso() })
      .where('person_id', '=', props.personId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    const revoked = Number(result.numUpdatedRows) > 0;
    if (revoked) {
      await recordAudit(trx, {
        actorId: props.actorId,
        action: 'calendar_feed.revoked',
        subjectType: 'person',
        subjectId: props.personId,
      });
    }
    return revoked;
  });
}

export type FeedLookup = { status: 'ok'; person: PersonRow } | { status: 'gone' } | { status: 'unknown' };

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * Whose feed a URL token opens. Looked up by its hash (an index lookup: nothing to compare in
 * non-constant time). A disabled person's feed is gone, as a revoked one is.
 */
export async function personOfFeedToken(db: Executor, token: string): Promise<FeedLookup> {
  if (!TOKEN_SHAPE.test(token)) return { status: 'unknown' };
  const row = await db
    .selectFrom('calendar_feeds')
    .select(['id', 'person_id', 'revoked_at', 'last_used_at'])
    .where('token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!row) return { status: 'unknown' };
  if (row.revoked_at) return { status: 'gone' };
  const person = await findPersonById(db, row.person_id);
  if (!person || person.enabled !== 1) return { status: 'gone' };
  const now = Date.now();
  if (!row.last_used_at || now - Date.parse(row.last_used_at) > TOUCH_EVERY_MS) {
    await db
      .updateTable('calendar_feeds')
      .set({ last_used_at: new Date(now).toISOString() })
      .where('id', '=', row.id)
      .execute();
  }
  return { status: 'ok', person };
}
