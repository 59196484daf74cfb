import { z } from 'zod';
import type { Config } from '../../config.js';
import { recordAudit } from '../../db/audit.js';
import type { Db } from '../../db/database.js';
import type { NotificationChannel } from '../../db/schema.js';
import { badRequest, conflict } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { HTTP_URL, SMTP_URL, serviceUrl, type UrlRule } from '../../lib/serviceUrl.js';
import { nowIso } from '../../lib/time.js';
import { describeZodError } from '../../lib/zodMessage.js';
import type { PersonRow } from '../people/presenters.js';
import { CHANNELS, type ChannelSettings, loadChannels, maskSecret, maskUrl, saveChannel } from './channels.js';
import { DeliveryError, type NotificationRow } from './outbox.js';
import type { NotificationPayload, PayloadPerson } from './payload.js';
import { buildSenders, TEST_ROW_PREFIX } from './senders.js';

export interface ChannelField {
  name: string;
  label: string;
  secret: boolean;
  required: boolean;
  hint?: string;
  placeholder?: string;
  /**
   * For an address (a URL the secrets are sent to): the secrets that must be given again when it
   * changes. Keeping them would let whoever changes the address receive them on the next send.
   */
  secretsBound?: string[];
}

export interface ChannelSpec {
  label: string;
  /** False for a channel that talks to another system, not to a person (webhooks). */
  reachesPeople: boolean;
  /** True when the channel finds a person by their e-mail address. */
  needsEmail: boolean;
  fields: ChannelField[];
  schema: z.ZodType<Record<string, string | undefined>>;
}

/** Parsed as the client will parse it, so a bad port or host is a 400 here, not a failure at send time. */
const channelUrl = (rule: UrlRule) =>
  z.string().trim().max(500, 'must be at most 500 characters').pipe(serviceUrl(rule));
const httpUrl = channelUrl(HTTP_URL);
const text = (max = 500) => z.string().trim().min(1, 'is required').max(max, `must be at most ${max} characters`);

/** Standard Webhooks keys: `whsec_` then base64 of 24 to 64 random bytes. */
const WEBHOOK_SECRET = /^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/;

export const CHANNEL_SPECS: Record<NotificationChannel, ChannelSpec> = {
  email: {
    label: 'E-mail',
    reachesPeople: true,
    needsEmail: true,
    fields: [
      {
        name: 'smtpUrl',
        label: 'SMTP server URL',
        secret: true,
        required: true,
        placeholder: 'smtps://user:password@mail.example.org:465',
        hint: 'smtp:// or smtps://, with the user name and password if the server needs them.',
      },
      {
        name: 'from',
        label: 'From address',
        secret: false,
        required: true,
        placeholder: 'Convene <convene@example.org>',
      },
    ],
    schema: z
      .object({
        smtpUrl: channelUrl(SMTP_URL).optional(),
        from: text(200).optional(),
      })
      .strict(),
  },
  slack: {
    label: 'Slack',
    reachesPeople: true,
    needsEmail: true,
    fields: [
      { name: 'token', label: 'Bot token', secret: true, required: true, placeholder: 'xoxb-…' },
      {
        name: 'signingSecret',
        label: 'Signing secret',
        secret: true,
        required: false,
        hint: 'Lets Convene check that button clicks really come from Slack.',
      },
      {
        name: 'apiUrl',
        label: 'Web API URL',
        secret: false,
        required: false,
        placeholder: 'https://slack.com/api/',
        secretsBound: ['token'],
      },
    ],
    schema: z
      .object({ token: text().optional(), signingSecret: text().optional(), apiUrl: httpUrl.optional() })
      .strict(),
  },
  mattermost: {
    label: 'Mattermost',
    reachesPeople: true,
    needsEmail: true,
    fields: [
      {
        name: 'url',
        label: 'Server URL',
        secret: false,
        required: true,
        placeholder: 'https://chat.example.org',
        secretsBound: ['token'],
      },
      { name: 'token', label: 'Bot access token', secret: true, required: true },
    ],
    schema: z.object({ url: httpUrl.optional(), token: text().optional() }).strict(),
  },
  webhook: {
    label: 'Webhook',
    reachesPeople: false,
    needsEmail: false,
    fields: [
      {
        name: 'url',
        label: 'Endpoint URL',
        secret: false,
        required: true,
        placeholder: 'https://hooks.example.org/convene',
        secretsBound: ['secret'],
      },
      {
        name: 'secret',
        label: 'Signing secret',
        secret: true,
        required: true,
        hint: 'Standard Webhooks form: whsec_ followed by base64.',
      },
    ],
    schema: z
      .object({
        url: httpUrl.optional(),
        secret: z
          .string()
          .trim()
          .regex(WEBHOOK_SECRET, 'must be whsec_ followed by base64 of 24 to 64 bytes')
          .optional(),
      })
      .strict(),
  },
};

export interface ChannelView {
  channel: NotificationChannel;
  label: string;
  enabled: boolean;
  source: 'config' | 'admin' | 'none';
  reachesPeople: boolean;
  fields: Array<
    Omit<ChannelField, 'hint' | 'placeholder' | 'secretsBound'> & {
      hint: string | null;
      placeholder: string | null;
      secretsBound: string[];
    }
  >;
  settings: Record<string, string>;
  /** Masked: never more than the last four characters. */
  secrets: Record<string, string>;
}

function present(channel: NotificationChannel, row: ChannelSettings | undefined): ChannelView {
  const spec = CHANNEL_SPECS[channel];
  const secretNames = new Set(spec.fields.filter((f) => f.secret).map((f) => f.name));
  return {
    channel,
    label: spec.label,
    enabled: row?.enabled ?? false,
    source: row?.source ?? 'none',
    reachesPeople: spec.reachesPeople,
    fields: spec.fields.map((f) => ({
      ...f,
      hint: f.hint ?? null,
      placeholder: f.placeholder ?? null,
      secretsBound: f.secretsBound ?? [],
    })),
    settings: Object.fromEntries(Object.entries(row?.settings ?? {}).filter(([k]) => !secretNames.has(k))),
    secrets: Object.fromEntries(
      Object.entries(row?.secrets ?? {}).map(([k, v]) => [k, k === 'smtpUrl' ? maskUrl(v) : maskSecret(v)]),
    ),
  };
}

export async function listChannelViews(db: Db): Promise<ChannelView[]> {
  const rows = new Map((await loadChannels(db)).map((row) => [row.channel, row]));
  return CHANNELS.map((channel) => present(channel, rows.get(channel)));
}

/**
 * Saves an admin's change to one channel. Fields left out (or blank secrets) keep what is stored,
 * so the form never has to send a secret back; a blank setting clears it — except that a changed
 * address needs the secrets it carries again (see secretsBound). A channel managed by the
 * config file is refused: the next start would overwrite the change anyway.
 */
export async function updateChannel(props: {
  db: Db;
  actorId: string;
  channel: NotificationChannel;
  enabled?: boolean;
  values: Record<string, string>;
}): Promise<ChannelView> {
  const spec = CHANNEL_SPECS[props.channel];
  const parsed = spec.schema.safeParse(
    Object.fromEntries(
      Object.entries(props.values).filter(([name, value]) => {
        const field = spec.fields.find((f) => f.name === name);
        // Blank means "keep" for a secret and "clear" for a setting; neither needs validating.
        return !field || value.trim() !== '';
      }),
    ),
  );
  if (!parsed.success) {
    const { field, message } = describeZodError(parsed.error);
    throw badRequest(message, field);
  }
  return props.db.transaction().execute(async (trx) => {
    const stored = (await loadChannels(trx)).find((row) => row.channel === props.channel);
    if (stored?.source === 'config') {
      throw conflict(`The ${spec.label} channel is set in the config file; change it there.`);
    }
    const settings = { ...(stored?.settings ?? {}) };
    const secrets = { ...(stored?.secrets ?? {}) };
    const changedSecrets: string[] = [];
    for (const field of spec.fields) {
      const given = props.values[field.name];
      if (given === undefined) continue;
      const value = (parsed.data[field.name] ?? '').trim();
      if (field.secret) {
        if (value === '') continue;
        secrets[field.name] = value;
        changedSecrets.push(field.name);
      } else if (value === '') delete settings[field.name];
      else settings[field.name] = value;
    }
    for (const field of spec.fields) {
      if ((stored?.settings[field.name] ?? '') === (settings[field.name] ?? '')) continue;
      for (const name of field.secretsBound ?? []) {
        if (changedSecrets.includes(name) || !stored?.secrets[name]) continue;
        const label = spec.fields.find((f) => f.name === name)?.label ?? name;
        throw badRequest(`${name}: the ${label} must be given again when the ${field.label} changes`, name);
      }
    }
    const enabled = props.enabled ?? stored?.enabled ?? false;
    if (enabled) {
      for (const field of spec.fields) {
        if (field.required && !(field.secret ? secrets : settings)[field.name]) {
          throw badRequest(`${field.name}: is required to turn ${spec.label} on`, field.name);
        }
      }
    }
    const row: ChannelSettings = { channel: props.channel, enabled, settings, secrets, source: 'admin' };
    await saveChannel(trx, row);
    await recordAudit(trx, {
      actorId: props.actorId,
      action: 'channel.update',
      subjectType: 'channel',
      subjectId: props.channel,
      // Which secrets changed, never their values.
      data: { enabled, settings, changedSecrets },
    });
    return present(props.channel, row);
  });
}

export interface TestResult {
  ok: boolean;
  message: string;
}

/**
 * Sends "Test message from Convene" to `to` (default: the admin's own address) through the same
 * adapter the outbox uses, so a passing test means real messages will pass too.
 */
export async function sendTestMessage(props: {
  db: Db;
  config: Config;
  channel: NotificationChannel;
  admin: PersonRow;
  to?: string | undefined;
}): Promise<TestResult> {
  const { channel, admin } = props;
  const address = props.to ?? admin.email;
  const spec = CHANNEL_SPECS[channel];
  const stored = (await loadChannels(props.db)).find((row) => row.channel === channel);
  if (!stored?.enabled) throw conflict(`Turn the ${spec.label} channel on and save it before testing it.`);
  if (spec.needsEmail && !address) {
    throw badRequest(
      `to: your account has no e-mail address, and ${spec.label} finds its reader by one: type an address to send the test to, or give your account one in People`,
      'to',
    );
  }
  const built = await buildSenders(props.db, props.config);
  let result: TestResult;
  try {
    const sender = built.senders[channel];
    if (!sender) {
      result = { ok: false, message: `The ${spec.label} channel is not configured completely.` };
    } else {
      const me: PayloadPerson = {
        id: admin.id,
        name: admin.name,
        email: address,
        timezone: admin.timezone,
        title: admin.title,
        team: admin.team,
      };
      const now = nowIso();
      const payload: NotificationPayload = {
        kind: 'intro',
        meeting: {
          // Messages to people link to /meetings/{id}; there is no test meeting, so an empty id
          // makes that link open the meetings list rather than a "not found" page.
          id: spec.reachesPeople ? '' : `test-${newId()}`,
          title: 'Test message from Convene',
          startsAt: null,
          durationMinutes: null,
          roomName: null,
          roomUrl: null,
          groupId: null,
          groupName: null,
          sequence: 0,
        },
        participants: [me],
        recipient: { ...me, cc: [] },
        readers: [admin.id],
      };
      const row: NotificationRow = {
        id: newId(),
        meeting_id: null,
        origin: null,
        origin_name: null,
        person_id: admin.id,
        channel,
        kind: 'intro',
        payload: JSON.stringify(payload),
        status: 'sending',
        attempts: 1,
        next_attempt_at: now,
        claimed_until: null,
        claimed_by: null,
        recovered: 0,
        last_error: null,
        result: null,
        sent_at: null,
        // Marks the row as a test: the webhook sends a convene.test event for it, not a meeting.
        dedupe_key: `${TEST_ROW_PREFIX}${newId()}`,
        created_at: now,
        updated_at: now,
      };
      try {
        const answer = await sender(row, payload);
        const missed = Array.isArray(answer.notFound) && answer.notFound.includes(admin.id);
        result = missed
          ? { ok: false, message: `${spec.label} has no account with the e-mail address ${address}.` }
          : props.to
            ? { ok: true, message: `Sent to ${address} by ${spec.label}.` }
            : { ok: true, message: `Sent. Check your ${spec.label === 'E-mail' ? 'inbox' : spec.label} for it.` };
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        result = { ok: false, message: error instanceof DeliveryError ? reason : `Could not send: ${reason}` };
      }
    }
  } finally {
    built.close();
  }
  await recordAudit(props.db, {
    actorId: admin.id,
    action: 'channel.test',
    subjectType: 'channel',
    subjectId: channel,
    data: { ok: result.ok, to: spec.needsEmail ? address : null },
  });
  return result;
}
