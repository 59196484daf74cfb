import { WebhookFailure, webhookEndpoint } from '../../integrations/webhook.js';
import { DeliveryError, type NotificationRow, type Sender } from './outbox.js';
import type { NotificationPayload } from './payload.js';
import { type RenderContext, roomLink } from './render.js';

/** The event a receiver gets: Standard Webhooks' {type, timestamp, data}. */
export function webhookEvent(render: RenderContext, row: NotificationRow, payload: NotificationPayload) {
  const { meeting } = payload;
  return {
    type: `meeting.${payload.kind}`,
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
      participants: payload.participants.map((p) => ({
        id: p.id,
        name: p.name,
        email: p.email,
        timezone: p.timezone,
      })),
      roomUrl: payload.kind === 'cancel' ? null : roomLink(render, payload),
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
