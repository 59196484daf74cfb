import { api } from './client';

export const DELIVERY_OUTCOMES = ['ok', 'ignored', 'rejected', 'failed', 'processing'] as const;
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];

export interface Delivery {
  id: string;
  source: string;
  deliveryId: string;
  receivedAt: string;
  outcome: DeliveryOutcome;
  statusCode: number | null;
  error: string | null;
  summary: string | null;
  meetingId: string | null;
}

export interface DeliveryFilter {
  outcome?: DeliveryOutcome | undefined;
  source?: string | undefined;
  page?: number;
}

export function listDeliveries(filter: DeliveryFilter, signal?: AbortSignal) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value) params.set(key, String(value));
  const search = params.toString();
  return api.get<{ deliveries: Delivery[]; page: number; hasMore: boolean }>(
    `/api/v1/admin/deliveries${search ? `?${search}` : ''}`,
    { signal },
  );
}

export const API_SCOPES = ['meetings:write'] as const;

export interface ApiToken {
  id: string;
  name: string;
  scopes: string[];
  createdAt: string;
  createdBy: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export const listApiTokens = (signal?: AbortSignal) =>
  api.get<{ tokens: ApiToken[] }>('/api/v1/admin/api-tokens', { signal });

export const createApiToken = (body: { name: string; scopes: string[] }) =>
  api.post<{ token: string; apiToken: ApiToken }>('/api/v1/admin/api-tokens', body);

export const revokeApiToken = (id: string) =>
  api.post<{ apiToken: ApiToken }>(`/api/v1/admin/api-tokens/${encodeURIComponent(id)}/revoke`);
