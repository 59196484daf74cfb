/** What arrives from outside: the admin's Inbound page and the API tokens machine callers use. Zod only. */
import { z } from 'zod';
import { API_SCOPES, DELIVERY_OUTCOMES } from './ingestValues.js';

export { API_SCOPES, DELIVERY_OUTCOMES };

export const deliveryView = z.object({
  id: z.string(),
  source: z.string(),
  deliveryId: z.string(),
  receivedAt: z.string(),
  outcome: z.enum(DELIVERY_OUTCOMES),
  statusCode: z.number().nullable(),
  error: z.string().nullable(),
  summary: z.string().nullable(),
  meetingId: z.string().nullable(),
  /** How it came: an HTTP webhook or a message from the queue. */
  channel: z.enum(['webhook', 'queue']),
  /** A refused queue message that is in the dead-letter queue. */
  deadLettered: z.boolean(),
});

export const deliveriesQuery = z
  .object({
    outcome: z.enum(DELIVERY_OUTCOMES).optional(),
    source: z.string().max(40).optional(),
    page: z.coerce.number().int().min(1).max(10_000).default(1),
  })
  .strict();

export const deliveriesPage = z.object({ deliveries: z.array(deliveryView), page: z.number(), hasMore: z.boolean() });

export const apiTokenView = z.object({
  id: z.string(),
  name: z.string(),
  scopes: z.array(z.string()),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

export const createApiTokenBody = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(100),
    scopes: z.array(z.enum(API_SCOPES)).min(1, 'must name at least one scope'),
  })
  .strict();

export type Delivery = z.infer<typeof deliveryView>;
export type DeliveryOutcome = Delivery['outcome'];
export type DeliveriesQuery = z.input<typeof deliveriesQuery>;
export type DeliveriesPage = z.infer<typeof deliveriesPage>;
export type ApiToken = z.infer<typeof apiTokenView>;
export type CreateApiTokenInput = z.infer<typeof createApiTokenBody>;
