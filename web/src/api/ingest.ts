import type { ApiToken, DeliveriesPage, DeliveryOutcome, InboundSetup, RefusalsList } from '@contract/ingest';
import { api } from './client';

export type {
  ApiToken,
  Delivery,
  DeliveryOutcome,
  InboundRefusal,
  InboundSetup,
  RefusalReason,
} from '@contract/ingest';
export { API_SCOPES, DELIVERY_OUTCOMES } from '@contract/ingestValues';

export interface DeliveryFilter {
  outcome?: DeliveryOutcome | undefined;
  source?: string | undefined;
  /** A scale team's id (every delivery about it) or one delivery's id. */
  find?: string | undefined;
  page?: number;
}

export function listDeliveries(filter: DeliveryFilter, signal?: AbortSignal) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value) params.set(key, String(value));
  const search = params.toString();
  return api.get<DeliveriesPage>(`/api/v1/admin/deliveries${search ? `?${search}` : ''}`, { signal });
}

/** Deliveries refused by their headers (a wrong secret, say), which never become deliveries. */
export const listRefusals = (signal?: AbortSignal) =>
  api.get<RefusalsList>('/api/v1/admin/inbound/refusals', { signal });

/** Whether 42 deliveries can arrive: which events have a secret (never the secrets), the address, the API and queue. */
export const getInboundSetup = (signal?: AbortSignal) =>
  api.get<InboundSetup>('/api/v1/admin/inbound/setup', { signal });

export const listApiTokens = (signal?: AbortSignal) =>
  api.get<{ tokens: ApiToken[] }>('/api/v1/admin/api-tokens', { signal });

/** `sources`: the sources it may use; none or empty: any. */
export const createApiToken = (body: { name: string; scopes: string[]; sources?: string[] }) =>
  api.post<{ token: string; apiToken: ApiToken }>('/api/v1/admin/api-tokens', body);

export const revokeApiToken = (id: string) =>
  api.post<{ apiToken: ApiToken }>(`/api/v1/admin/api-tokens/${encodeURIComponent(id)}/revoke`);
