import { recordAudit } from '../../db/audit.js';
import { whereKeyIn } from '../../db/bulkInsert.js';
import type { Db, Executor } from '../../db/database.js';
import type { NotificationChannel } from '../../db/schema.js';
import { badRequest } from '../../lib/errors.js';
import { nowIso } from '../../lib/time.js';
import { meetingOriginsOf } from '../meetings/queries.js';
import { membershipOrigins } from '../mixers/memberOrigins.js';
import { CHANNEL_SPECS } from './channelAdmin.js';
import { CHANNELS, enabledChannels } from './channels.js';

/** Enabled channels that reach a person (a webhook reaches another system, so it has no choice). */
export async function personalChannels(db: Executor): Promise<NotificationChannel[]> {
  const enabled = await enabledChannels(db);
  return CHANNELS.filter((channel) => enabled.has(channel) && CHANNEL_SPECS[channel].reachesPeople);
}

/** scope ('' or an origin) → channel → on/off, as stored. */
type PrefMap = Map<string, Map<NotificationChannel, boolean>>;

async function loadPrefs(db: Executor, personIds: string[]): Promise<Map<string, PrefMap>> {
  const out = new Map<string, PrefMap>();
  for (let i = 0; i < personIds.length; i += 400) {
    const rows = await whereKeyIn(
      db,
      db.selectFrom('notification_prefs').select(['person_id', 'scope', 'channel', 'enabled']),
      'person_id',
      personIds.slice(i, i + 400),
    ).execute();
    for (const row of rows) {
      const person = out.get(row.person_id) ?? new Map();
      out.set(row.person_id, person);
      const scope = person.get(row.scope) ?? new Map();
      person.set(row.scope, scope);
      scope.set(row.channel, row.enabled === 1);
    }
  }
  return out;
}

export type WantsChannel = (personId: string, origin: string | null, channel: NotificationChannel) => boolean;

/**
 * Whether a person wants messages about a meeting of an origin ("group:…", "event:…",
 * "source:intra42"; null: none) by a channel: the origin's override, else the person's default,
 * else on. The one rule for what is queued and for who the admin pages say is reachable.
 */
export async function loadWants(db: Executor, personIds: string[]): Promise<WantsChannel> {
  const prefs = await loadPrefs(db, personIds);
  return (personId, origin, channel) => {
    const mine = prefs.get(personId);
    return (origin ? mine?.get(origin)?.get(channel) : undefined) ?? mine?.get('')?.get(channel) ?? true;
  };
}

/** Where a person can choose channels apart from their defaults: their groups, then their meetings' other origins. */
async function originsOf(db: Executor, personId: string): Promise<Array<{ origin: string; name: string }>> {
  const groups = await membershipOrigins(db, { personId });
  const seen = new Set(groups.map((g) => g.origin));
  const others = (await meetingOriginsOf(db, personId))
    .filter((o) => !seen.has(o.origin) && !o.origin.startsWith('group:'))
    .map((o) => ({ origin: o.origin, name: o.name ?? o.origin }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return [...groups.map((g) => ({ origin: g.origin, name: g.name })), ...others];
}

export interface PrefsView {
  channels: Array<{ channel: NotificationChannel; label: string }>;
  defaults: Record<string, boolean>;
  /** override null: the origin uses the person's defaults. */
  origins: Array<{ origin: string; name: string; override: Record<string, boolean> | null }>;
}

export async function getNotificationPrefs(db: Executor, personId: string): Promise<PrefsView> {
  const channels = await personalChannels(db);
  const origins = await originsOf(db, personId);
  const prefs = (await loadPrefs(db, [personId])).get(personId);
  const pick = (scope: Map<NotificationChannel, boolean> | undefined, fallback: (c: NotificationChannel) => boolean) =>
    Object.fromEntries(channels.map((c) => [c, scope?.get(c) ?? fallback(c)]));
  const defaults = pick(prefs?.get(''), () => true);
  return {
    channels: channels.map((channel) => ({ channel, label: CHANNEL_SPECS[channel].label })),
    defaults,
    origins: origins.map((o) => {
      const scope = prefs?.get(o.origin);
      const custom = scope && channels.some((c) => scope.has(c));
      return { ...o, override: custom ? pick(scope, (c) => defaults[c] ?? true) : null };
    }),
  };
}

/**
 * Saves a person's choices: the defaults given (channels left out keep theirs), and for each origin
 * given either "use my defaults" (null: its override is removed) or exactly the channels to use.
 */
export async function updateNotificationPrefs(props: {
  db: Db;
  personId: string;
  defaults?: Record<string, boolean> | undefined;
  origins?: Array<{ origin: string; override: Record<string, boolean> | null }> | undefined;
}): Promise<PrefsView> {
  return props.db.transaction().execute(async (trx) => {
    const channels = await personalChannels(trx);
    const known = new Set<string>(channels);
    const check = (values: Record<string, boolean>, at: string) => {
      for (const name of Object.keys(values)) {
        if (!known.has(name)) {
          const choices = channels.join(', ') || 'none is turned on';
          throw badRequest(`${at}.${name}: is not a channel you can choose (${choices})`, `${at}.${name}`);
        }
      }
    };
    if (props.defaults) check(props.defaults, 'defaults');
    const mine = new Set((await originsOf(trx, props.personId)).map((o) => o.origin));
    (props.origins ?? []).forEach((entry, i) => {
      if (!mine.has(entry.origin)) {
        throw badRequest(
          `origins[${i}].origin: is not a group, event or source you have messages from`,
          `origins[${i}].origin`,
        );
      }
      if (entry.override) check(entry.override, `origins[${i}].override`);
    });

    const now = nowIso();
    const put = async (scope: string, channel: NotificationChannel, on: boolean) => {
      const values = { enabled: on ? (1 as const) : (0 as const), updated_at: now };
      await trx
        .insertInto('notification_prefs')
        .values({ person_id: props.personId, scope, channel, ...values })
        .onConflict((oc) => oc.columns(['person_id', 'scope', 'channel']).doUpdateSet(values))
        .execute();
    };
    for (const [channel, on] of Object.entries(props.defaults ?? {})) {
      await put('', channel as NotificationChannel, on);
    }
    for (const entry of props.origins ?? []) {
      await trx
        .deleteFrom('notification_prefs')
        .where('person_id', '=', props.personId)
        .where('scope', '=', entry.origin)
        .execute();
      // "Only these": every channel is written, so a channel left unticked is off for this origin.
      if (entry.override) {
        for (const channel of channels) await put(entry.origin, channel, entry.override[channel] === true);
      }
    }
    await recordAudit(trx, {
      actorId: props.personId,
      action: 'notification_prefs.update',
      subjectType: 'person',
      subjectId: props.personId,
      data: { defaults: props.defaults ?? null, origins: props.origins ?? null },
    });
    return getNotificationPrefs(trx, props.personId);
  });
}
