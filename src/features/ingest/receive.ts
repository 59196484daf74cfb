import type { Config } from '../../config.js';
import { isPostgres } from '../../db/bulkInsert.js';
import type { Db } from '../../db/database.js';
import type { DeliveryChannel, DeliveryOutcome } from '../../db/schema.js';
import { type Intra42Api, intra42Api } from '../../integrations/intra42.js';
import { type Arrival, arrivalKeys, failedReceipt, ingestBatch, readBody } from './batch.js';
import { checkHeaders, type HeaderCheck, parseWebhookSecrets, type ScaleTeamEvent } from './intra42Contract.js';
import { keyedBatches } from './keyedBatches.js';
import { INTRA42_SOURCE } from './people.js';
import { type RefusalLog, refusalLog } from './refusals.js';

/** The answer to one delivery, whether it came over HTTP or from the queue. */
export interface Receipt {
  status: number;
  outcome: 'ok' | 'ignored' | 'rejected' | 'failed' | 'duplicate' | 'unauthenticated';
  message: string;
  field?: string;
  meetingId?: string | null;
  /** Only for failures: the sender may try the same delivery again later. */
  retry?: boolean;
  /** Only for failures: what went wrong (for the log and the recorded delivery). */
  cause?: unknown;
  /** The recorded delivery (absent when nothing was recorded: a bad secret, model or delivery id). */
  deliveryRowId?: string | null;
  /** A duplicate: how the first copy ended, and whether it was put in the dead-letter queue. */
  earlier?: { outcome: DeliveryOutcome; error: string | null; statusCode: number | null; deadLettered: boolean };
}

/** `from`: the webhook's client address, kept with a refusal for the admin; none for the queue. */
export type Intra42Receiver = ((
  headers: Record<string, unknown>,
  body: unknown,
  from?: string | null,
) => Promise<Receipt>) & {
  /**
   * The headers alone checked (and a refusal counted): for the webhook, before its body is read,
   * so a request without the secret costs no parsing.
   */
  refuse(headers: Record<string, unknown>, from?: string | null): Receipt | null;
  /**
   * `refuse`, with what passing headers say (the event and delivery id): for a queue message whose
   * body is not handed on (headers it could not read), so it is recorded under its own delivery id.
   */
  admit(
    headers: Record<string, unknown>,
    from?: string | null,
  ): { event: ScaleTeamEvent; deliveryId: string } | { refused: Receipt };
  /** Writes the refusals counted so far (on stopping). */
  flushRefusals(): Promise<void>;
};

/** Deliveries handled in one transaction at most; more wait for the next one. */
const MAX_BATCH = 100;

/**
 * When nothing is being stored and deliveries are still arriving a tick after the first, how long
 * to wait for more to share the transaction: senders answered by the last batch are sending their
 * next deliveries one by one, and without the wait the next batch started with the first one or
 * two of them. Over HTTP with 128 senders on SQLite, batches of 25–37 became 58–61, 1,237–1,554
 * deliveries/s became 1,448–1,740 and the server's CPU per delivery fell by a seventh. A burst that
 * came within one tick (a prefetch window, answers sent together) does not wait.
 */
const LINGER_MS = 2;

/**
 * Everything one 42 delivery goes through: the secret, the model and event, the delivery id taken
 * once, the body parsed, the meeting upserted or cancelled, and the outcome recorded. `body` is
 * the parsed JSON, or a Buffer/string from the queue.
 *
 * Deliveries arriving while a batch is being stored are stored together next (`ingestBatch`): a
 * burst of webhooks or a queue's prefetch window costs one commit, not one each. On PostgreSQL two
 * batches may be in flight, never with a delivery id, a scale team or a login in both
 * (`keyedBatches`), so copies of a delivery are told apart exactly and updates of one scale team
 * are applied in the order they came. SQLite, in this process's own thread, gains nothing from a
 * second one.
 */
export function intra42Receiver(props: {
  db: Db;
  config: Config;
  api?: Intra42Api | null;
  channel?: DeliveryChannel;
  refusals?: RefusalLog;
}): Intra42Receiver {
  const settings = props.config.intra42;
  const secrets = parseWebhookSecrets(settings.webhooks);
  const api =
    props.api !== undefined
      ? props.api
      : settings.appId && settings.appSecret
        ? intra42Api({ apiUrl: settings.apiUrl, appId: settings.appId, appSecret: settings.appSecret })
        : null;
  const refusals = props.refusals ?? refusalLog({ db: props.db });
  const channel = props.channel ?? 'webhook';
  const batch = {
    db: props.db,
    api,
    emailDomain: settings.emailDomain,
    leaseMs: settings.leaseSeconds * 1000,
    channel,
  };

  type Waiting = { arrival: Arrival; keys: string[]; answer(receipt: Receipt): void };
  const enqueue = keyedBatches<Waiting>({
    slots: isPostgres(props.db) ? 2 : 1,
    maxBatch: MAX_BATCH,
    lingerMs: LINGER_MS,
    async run(taken) {
      const receipts = await ingestBatch(
        batch,
        taken.map((w) => w.arrival),
      ).catch((error: unknown) => taken.map(() => failedReceipt(error)));
      taken.forEach((w, i) => {
        w.answer(receipts[i] as Receipt);
      });
    },
  });

  /** What passing headers say, or the answer to refused ones (counted for the admin). */
  const admit: Intra42Receiver['admit'] = (headers, from) => {
    const checked = checkHeaders(secrets, headers);
    return checked.ok ? { event: checked.event, deliveryId: checked.deliveryId } : { refused: refusal(checked, from) };
  };
  const refuse = (headers: Record<string, unknown>, from?: string | null): Receipt | null => {
    const admitted = admit(headers, from);
    return 'refused' in admitted ? admitted.refused : null;
  };
  const refusal = (checked: HeaderCheck & { ok: false }, from?: string | null): Receipt => {
    const { reason, status, detail } = checked;
    refusals.note({ source: INTRA42_SOURCE, channel, reason, status, detail, from });
    return {
      status: checked.status,
      outcome: checked.status === 401 ? 'unauthenticated' : 'rejected',
      message: checked.message,
      ...(checked.field && { field: checked.field }),
    };
  };

  const receive = async (headers: Record<string, unknown>, raw: unknown, from?: string | null): Promise<Receipt> => {
    const checked = checkHeaders(secrets, headers);
    if (!checked.ok) return refusal(checked, from);
    const arrival: Arrival = { event: checked.event, deliveryId: checked.deliveryId, body: readBody(raw) };
    return new Promise<Receipt>((answer) => {
      enqueue({ arrival, keys: arrivalKeys(arrival), answer });
    });
  };
  return Object.assign(receive, { refuse, admit, flushRefusals: () => refusals.flush() });
}
