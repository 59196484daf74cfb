import { Webhook } from 'standardwebhooks';
import { redact } from '../lib/redact.js';
import { ChannelFailure, failureKindOf } from './failure.js';

export class WebhookFailure extends ChannelFailure {}

export interface WebhookEndpoint {
  /**
   * POSTs `body` as JSON, signed per Standard Webhooks. `id` must stay the same across retries of
   * one message: it is what receivers deduplicate on.
   */
  deliver(id: string, body: unknown, now?: Date): Promise<{ status: number }>;
}

function retryAfterSeconds(value: string | null): number {
  if (!value) return 60;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(1, seconds);
  const at = Date.parse(value);
  return Number.isNaN(at) ? 60 : Math.max(1, Math.ceil((at - Date.now()) / 1000));
}

/** An outgoing webhook: a receiver's URL and the shared `whsec_…` secret. No retries here: the outbox retries. */
export function webhookEndpoint(props: { url: string; secret: string; timeoutMs?: number }): WebhookEndpoint {
  const signer = new Webhook(props.secret);
  const query = URL.canParse(props.url) ? new URL(props.url).search.slice(1) : undefined;
  return {
    async deliver(id, body, now = new Date()) {
      const text = JSON.stringify(body);
      const headers = {
        'content-type': 'application/json',
        'user-agent': 'Convene-Webhooks/1',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': signer.sign(id, now, text),
      };
      let response: Response;
      try {
        response = await fetch(props.url, {
          method: 'POST',
          headers,
          body: text,
          redirect: 'manual',
          signal: AbortSignal.timeout(props.timeoutMs ?? 15_000),
        });
      } catch (error) {
        // fetch() quotes the URL in some of its errors; the URL may carry a token in its query.
        const reason = redact((error as Error).message, [props.secret, query]);
        throw new WebhookFailure(`The webhook receiver could not be reached: ${reason}`, 'retry');
      }
      // The answer's body is not ours to read; drain it so the connection is freed.
      await response.arrayBuffer().catch(() => undefined);
      const { status } = response;
      if (status >= 200 && status < 300) return { status };
      // Redirects are not followed (the signature is for this URL), so a 3xx is permanent too.
      const kind = failureKindOf(status);
      const wait = kind === 'ratelimited' ? retryAfterSeconds(response.headers.get('retry-after')) : undefined;
      throw new WebhookFailure(`The webhook receiver answered ${status}.`, kind, wait, status);
    },
  };
}
