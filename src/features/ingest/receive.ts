import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import type { DeliveryChannel, DeliveryOutcome } from '../../db/schema.js';
import { type Intra42Api, Intra42Failure, intra42Api } from '../../integrations/intra42.js';
import { describeZodError } from '../../lib/zodMessage.js';
import { claimDelivery, type DeliveryEnd, finishDelivery } from './deliveries.js';
import { checkHeaders, destroySchema, parseWebhookSecrets, scaleTeamSchema } from './intra42Contract.js';
import { KeyedQueue } from './keyedQueue.js';
import { INTRA42_SOURCE } from './people.js';
import { ingestScaleTeam } from './scaleTeam.js';

/** The answer to one delivery, whether it came over HTTP or from the queue. */
export interface Receipt {
  status: number;
  outcome: 'ok' | 'ignored' | 'rejected' | 'failed' | 'duplicate' | 'unauthenticated';
  message: string;
  field?: string;
  meetingId?: string | null;
  /** Only for failures: the sender may try the same delivery again later. */
  retry?: boolean;
  /** The recorded delivery (absent when nothing was recorded: a bad secret, model or delivery id). */
  deliveryRowId?: string | null;
  /** A duplicate: how the first copy ended, and whether it was put in the dead-letter queue. */
  earlier?: { outcome: DeliveryOutcome; error: string | null; deadLettered: boolean };
  /** With `deferRejections`: how the refused delivery is to be recorded, by the caller. */
  unfinished?: DeliveryEnd;
}

export type Intra42Receiver = (headers: Record<string, unknown>, body: unknown) => Promise<Receipt>;

/**
 * Everything one 42 delivery goes through: the secret, the model and event, the delivery id taken
 * once, the body parsed, the meeting upserted or cancelled, and the outcome recorded. `body` is
 * the parsed JSON, or a Buffer/string from the queue.
 */
export function intra42Receiver(props: {
  db: Db;
  config: Config;
  api?: Intra42Api | null;
  channel?: DeliveryChannel;
  /**
   * Leave a refused delivery "processing" and hand its end back (`unfinished`): the queue consumer
   * records it only once the message is in the dead-letter queue.
   */
  deferRejections?: boolean;
}): Intra42Receiver {
  const { db } = props;
  const settings = props.config.intra42;
  const secrets = parseWebhookSecrets(settings.webhooks);
  const api =
    props.api !== undefined
      ? props.api
      : settings.appId && settings.appSecret
        ? intra42Api({ apiUrl: settings.apiUrl, appId: settings.appId, appSecret: settings.appSecret })
        : null;

  const perScaleTeam = new KeyedQueue();

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
    const claim = await claimDelivery(db, INTRA42_SOURCE, checked.deliveryId, {
      leaseMs: settings.leaseSeconds * 1000,
      channel: props.channel ?? 'webhook',
    });
    if (!claim.claimed) {
      return {
        status: 200,
        outcome: 'duplicate',
        message: `Delivery ${checked.deliveryId} was already received (${claim.outcome}); nothing changed.`,
        deliveryRowId: claim.id,
        earlier: { outcome: claim.outcome, error: claim.error, deadLettered: claim.deadLettered },
      };
    }
    let receipt: Receipt;
    try {
      receipt = await process(checked.event, raw);
    } catch (error) {
      const outage = error instanceof Intra42Failure;
      receipt = {
        status: outage ? 502 : 503,
        outcome: 'failed',
        message: outage ? error.message : 'The delivery could not be stored; send it again later.',
        retry: true,
        deliveryRowId: claim.id,
      };
      await finishDelivery(db, claim.id, {
        outcome: 'failed',
        statusCode: receipt.status,
        error: outage ? error.message : String((error as Error)?.message ?? error),
      }).catch(() => undefined);
      return receipt;
    }
    const end: DeliveryEnd = {
      outcome: receipt.outcome === 'ok' || receipt.outcome === 'ignored' ? receipt.outcome : 'rejected',
      statusCode: receipt.status,
      error: receipt.outcome === 'rejected' ? receipt.message : null,
      summary: `${checked.event}: ${receipt.message}`,
      meetingId: receipt.meetingId ?? null,
    };
    // A refused queue message stays claimed until it is in the dead-letter queue: the consumer ends it.
    if (end.outcome === 'rejected' && props.deferRejections)
      return { ...receipt, deliveryRowId: claim.id, unfinished: end };
    await finishDelivery(db, claim.id, end);
    return { ...receipt, deliveryRowId: claim.id };
  };

  async function process(event: 'create' | 'update' | 'destroy', raw: unknown): Promise<Receipt> {
    let json = raw;
    if (typeof raw === 'string' || Buffer.isBuffer(raw)) {
      try {
        json = JSON.parse(raw.toString());
      } catch {
        return { status: 400, outcome: 'rejected', message: 'The body is not valid JSON.' };
      }
    }
    const parsed = (event === 'destroy' ? destroySchema : scaleTeamSchema).safeParse(json);
    if (!parsed.success) {
      const { field, message } = describeZodError(parsed.error);
      return {
        status: 400,
        outcome: 'rejected',
        message: field ? message : `The body is not a scale_team: ${message}`,
        ...(field && { field }),
      };
    }
    const body = parsed.data;
    const result = await perScaleTeam.run(String(body.id), () =>
      ingestScaleTeam({ db, event, body, api, emailDomain: settings.emailDomain }),
    );
    return { ...result, ...(result.field && { field: result.field }) };
  }
}
