import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import type { DeliveryChannel, DeliveryOutcome } from '../../db/schema.js';
import { type Intra42Api, intra42Api } from '../../integrations/intra42.js';
import { type Arrival, ingestBatch } from './batch.js';
import { checkHeaders, parseWebhookSecrets } from './intra42Contract.js';

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

export type Intra42Receiver = (headers: Record<string, unknown>, body: unknown) => Promise<Receipt>;

/** Deliveries handled in one transaction at most; more wait for the next one. */
const MAX_BATCH = 100;

/**
 * Everything one 42 delivery goes through: the secret, the model and event, the delivery id taken
 * once, the body parsed, the meeting upserted or cancelled, and the outcome recorded. `body` is
 * the parsed JSON, or a Buffer/string from the queue.
 *
 * Deliveries arriving while a batch is being stored are stored together next (`ingestBatch`), one
 * batch at a time: a burst of webhooks or a queue's prefetch window costs one commit, not one each,
 * and updates of one scale team are applied in the order they came.
 */
export function intra42Receiver(props: {
  db: Db;
  config: Config;
  api?: Intra42Api | null;
  channel?: DeliveryChannel;
}): Intra42Receiver {
  const settings = props.config.intra42;
  const secrets = parseWebhookSecrets(settings.webhooks);
  const api =
    props.api !== undefined
      ? props.api
      : settings.appId && settings.appSecret
        ? intra42Api({ apiUrl: settings.apiUrl, appId: settings.appId, appSecret: settings.appSecret })
        : null;
  const batch = {
    db: props.db,
    api,
    emailDomain: settings.emailDomain,
    leaseMs: settings.leaseSeconds * 1000,
    channel: props.channel ?? 'webhook',
  };

  const waiting: Array<{ arrival: Arrival; answer(receipt: Receipt): void }> = [];
  let running = false;

  async function drain(): Promise<void> {
    while (waiting.length) {
      const taken = waiting.splice(0, MAX_BATCH);
      const receipts = await ingestBatch(
        batch,
        taken.map((w) => w.arrival),
      ).catch((error: unknown) =>
        taken.map(
          (): Receipt => ({
            status: 503,
            outcome: 'failed',
            message: 'The delivery could not be stored; send it again later.',
            retry: true,
            cause: error,
          }),
        ),
      );
      taken.forEach((w, i) => {
        w.answer(receipts[i] as Receipt);
      });
    }
    running = false;
  }

  return async (headers, raw) => {
    const checked = checkHeaders(secrets, headers);
    if (!checked.ok) {
      return {
        status: checked.status,
        outcome: checked.status === 401 ? 'unauthenticated' : 'rejected',
        message: checked.message,
        ...(checked.field && { field: checked.field }),
      };
    }
    return new Promise<Receipt>((answer) => {
      waiting.push({ arrival: { event: checked.event, deliveryId: checked.deliveryId, raw }, answer });
      if (!running) {
        running = true;
        // The rest of this tick's deliveries (a burst, a prefetch window) join the first batch.
        setImmediate(() => void drain());
      }
    });
  };
}
