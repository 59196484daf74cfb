import { WebhookFailure, webhookEndpoint } from '../../integrations/webhook.js';
import { DeliveryError, type NotificationRow, type Sender } from './outbox.js';
import { isRemoval, type NotificationPayload } from './payload.js';
import { type RenderContext, roomLink } from './render.js';

const person = (p: NotificationPayload['participants'][number]) => ({
  id: p.id,
  name: p.name,
  email: p.email,
  timezone: p.timezone,
});

/**
 * The event a receiver gets: Standard Webhooks' {type, timestamp, data}. People taken out of a
 * meeting that goes on are `meeting.participants_removed` (never `meeting.cancel`, which a receiver
 * would read as the whole meeting off), with `removed` listing them and `participants` the others.
 */
export function webhookEvent(render: RenderContext, row: NotificationRow, payload: NotificationPayload) {
  const { meeting } = payload;
  const removal = isRemoval(payload);
  const removed = new Set(payload.removed ?? []);
  return {
    type: removal ? 'meeting.participants_removed' : `meeting.${payload.kind}`,
    // When the change happened, not when this attempt went out: retries carry the same event.
    timestamp: row.created_at,
    data: {
      meeting: {
        id: meeting.id,
        title: meeting.title,
        startsAt: meeting.startsAt,
        durationMinutes: meeting.durationMinutes,
        groupId: meeting.groupId,
        groupName: meeting.groupName,
        sequence: meeting.sequence,
      },
      participants: payload.participants.filter((p) => !removed.has(p.id)).map(person),
      ...(removal && { removed: payload.participants.filter((p) => removed.has(p.id)).map(person) }),
      // The room of a meeting that goes on is still its room; a cancelled one has none.
      roomUrl: payload.kind === 'cancel' && !removal ? null : roomLink(render, payload),
    },
  };
}

export function webhookSender(
  render: RenderContext,
  props: { url: string; secret: string; timeoutMs?: number },
): Sender {
  const endpoint = webhookEndpoint(props);
  return async (row, payload) => {
    try {
      // The row id is the webhook-id: the same on every retry, so the receiver can deduplicate.
      const { status } = await endpoint.deliver(row.id, webhookEvent(render, row, payload));
      return { status };
    } catch (error) {
      if (error instanceof WebhookFailure) {
        throw new DeliveryError(error.message, error.kind === 'permanent', error.retryAfterSeconds);
      }
      throw error;
    }
  };
}
