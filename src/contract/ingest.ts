/** What arrives from outside: the admin's Inbound page and the API tokens machine callers use. Zod only. */
import { z } from 'zod';
import { API_SCOPES, DELIVERY_OUTCOMES, REFUSAL_REASONS } from './ingestValues.js';
import { CONVENE_SOURCES, meetingSource } from './meetings.js';

export { API_SCOPES, DELIVERY_OUTCOMES, REFUSAL_REASONS };

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
  /** What it is about, as its sender names it (a 42 scale team's id); null when its body names nothing. */
  subject: z.string().nullable(),
});

export const deliveriesQuery = z
  .object({
    outcome: z.enum(DELIVERY_OUTCOMES).optional(),
    source: z.string().max(40).optional(),
    /** A scale team's id (every delivery about it) or a delivery id (X-Delivery). */
    find: z.string().trim().min(1).max(200).optional(),
    page: z.coerce.number().int().min(1).max(10_000).default(1),
  })
  .strict();

export const deliveriesPage = z.object({ deliveries: z.array(deliveryView), page: z.number(), hasMore: z.boolean() });

/** Deliveries refused before they were read (never in the deliveries list), counted per reason. */
export const inboundRefusalView = z.object({
  source: z.string(),
  channel: z.enum(['webhook', 'queue']),
  reason: z.enum(REFUSAL_REASONS),
  count: z.number(),
  firstAt: z.string(),
  lastAt: z.string(),
  lastStatus: z.number(),
  /** What the last one claimed (its model and event, say); never its secret. */
  lastDetail: z.string().nullable(),
  /** The last webhook's client address; null for the queue. */
  lastFrom: z.string().nullable(),
});

/** No parameters: anything in the query is a mistake worth telling. */
export const refusalsQuery = z.object({}).strict();

export const refusalsList = z.object({ refusals: z.array(inboundRefusalView) });

const RESERVED_SOURCES = new Set<string>(CONVENE_SOURCES);

/**
 * A source an API caller may name (`{source}` in /meetings/by-source/…, and a token's limit): a
 * meeting source's form, and none of Convene's own.
 */
export const apiMeetingSource = meetingSource.refine((s) => !RESERVED_SOURCES.has(s), 'is reserved for Convene');

/** No parameters, as the refusals. */
export const inboundSetupQuery = z.object({}).strict();

/**
 * Whether the 42 intranet can deliver here: which model.events have a secret (never the secrets),
 * the address to give the intranet, and whether the 42 API and the RabbitMQ queue are configured.
 */
export const inboundSetupView = z.object({
  intra42: z.object({
    /** This server's public URL + /webhooks/42. */
    webhookUrl: z.string(),
    /** False: publicUrl is not set, so webhookUrl is this server's local address, not one to give out. */
    publicUrlSet: z.boolean(),
    /** scale_team.create, .update and .destroy, each with whether this server has a secret for it. */
    events: z.array(z.object({ event: z.string(), secret: z.boolean() })),
    /** intra42.appId and appSecret are set: team members missing from a webhook are read from the 42 API. */
    api: z.boolean(),
    /** The RabbitMQ queue `convene consume` reads, when a broker is configured (intra42.amqp.url); else null. */
    queue: z.string().nullable(),
  }),
});

export const apiTokenView = z.object({
  id: z.string(),
  name: z.string(),
  scopes: z.array(z.string()),
  /** The sources it may use; null: any. */
  sources: z.array(z.string()).nullable(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

export const createApiTokenBody = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(100),
    scopes: z.array(z.enum(API_SCOPES)).min(1, 'must name at least one scope'),
    /** The sources it may use; omitted, null or empty: any. */
    sources: z.array(apiMeetingSource).max(50).nullable().optional(),
  })
  .strict();

export type Delivery = z.infer<typeof deliveryView>;
export type DeliveryOutcome = Delivery['outcome'];
export type DeliveriesQuery = z.input<typeof deliveriesQuery>;
export type DeliveriesPage = z.infer<typeof deliveriesPage>;
export type InboundRefusal = z.infer<typeof inboundRefusalView>;
export type RefusalReason = InboundRefusal['reason'];
export type RefusalsList = z.infer<typeof refusalsList>;
export type InboundSetup = z.infer<typeof inboundSetupView>;
export type ApiToken = z.infer<typeof apiTokenView>;
export type CreateApiTokenInput = z.infer<typeof createApiTokenBody>;
