import { z } from 'zod';
import { fetchFailureReason } from '../lib/fetchFailure.js';

/** Why a call to the 42 API failed: the delivery that needed it may be retried later. */
export class Intra42Failure extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'Intra42Failure';
  }
}

export interface Intra42User {
  login: string;
  email: string | null;
}

/** What Convene asks the 42 API: the members of a team, and a user's e-mail. */
export interface Intra42Api {
  teamUsers(teamId: number): Promise<Intra42User[]>;
  user(login: string): Promise<Intra42User | null>;
}

const tokenAnswer = z.object({ access_token: z.string().min(1), expires_in: z.number().positive().optional() });
const userAnswer = z.object({ login: z.string().min(1), email: z.string().nullish() });
const teamAnswer = z.object({ users: z.array(userAnswer) });

/** At most this long is spent waiting for a Retry-After, so one delivery cannot hold a worker forever. */
const MAX_RETRY_WAIT_MS = 30_000;
const MAX_ATTEMPTS = 4;

/**
 * The 42 intranet API with the OAuth client-credentials flow. The token is cached until shortly
 * before it expires (and fetched again after a 401); a 429 waits for its Retry-After and retries.
 */
export function intra42Api(props: {
  apiUrl: string;
  appId: string;
  appSecret: string;
  timeoutMs?: number;
  /** Injected by tests so a Retry-After does not make them wait. */
  sleep?: (ms: number) => Promise<void>;
}): Intra42Api {
  const base = props.apiUrl.endsWith('/') ? props.apiUrl : `${props.apiUrl}/`;
  const sleep = props.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const timeout = props.timeoutMs ?? 15_000;
  let token: { value: string; until: number } | null = null;
  let pending: Promise<string> | null = null;

  const fetchToken = async (): Promise<string> => {
    const response = await send(`${base}oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: props.appId,
        client_secret: props.appSecret,
      }).toString(),
    });
    const parsed = tokenAnswer.safeParse(await response.json().catch(() => null));
    if (!parsed.success) throw new Intra42Failure('The 42 API answered the token request without an access_token.');
    const lifetime = (parsed.data.expires_in ?? 7200) * 1000;
    token = { value: parsed.data.access_token, until: Date.now() + Math.max(lifetime - 60_000, lifetime / 2) };
    return token.value;
  };

  const accessToken = (): Promise<string> => {
    if (token && token.until > Date.now()) return Promise.resolve(token.value);
    // Concurrent deliveries share one token request.
    pending ??= fetchToken().finally(() => {
      pending = null;
    });
    return pending;
  };

  async function send(url: string, init: RequestInit): Promise<Response> {
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeout) });
      } catch (error) {
        const why = fetchFailureReason(error);
        throw new Intra42Failure(`The 42 API could not be reached at ${new URL(url).origin}: ${why}.`);
      }
      if (response.status === 429 && attempt < MAX_ATTEMPTS) {
        const seconds = Number(response.headers.get('retry-after'));
        await response.body?.cancel();
        await sleep(Math.min(Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000, MAX_RETRY_WAIT_MS));
        continue;
      }
      if (response.ok || response.status === 404 || response.status === 401) return response;
      await response.body?.cancel();
      throw new Intra42Failure(`The 42 API answered ${response.status}.`, response.status);
    }
  }

  async function get(path: string): Promise<unknown | null> {
    for (let attempt = 1; attempt <= 2; attempt++) {
      const bearer = await accessToken();
      const response = await send(`${base}${path}`, { headers: { authorization: `Bearer ${bearer}` } });
      if (response.status === 401) {
        await response.body?.cancel();
        token = null; // revoked or expired early: one fresh token, then give up
        continue;
      }
      if (response.status === 404) {
        await response.body?.cancel();
        return null;
      }
      return response.json().catch(() => {
        throw new Intra42Failure('The 42 API answered with something that is not JSON.');
      });
    }
    throw new Intra42Failure('The 42 API refused the application credentials.', 401);
  }

  return {
    async teamUsers(teamId) {
      const body = await get(`v2/teams/${teamId}`);
      if (body === null) return [];
      const parsed = teamAnswer.safeParse(body);
      if (!parsed.success) throw new Intra42Failure(`The 42 API's team ${teamId} has no users list.`);
      return parsed.data.users.map((u) => ({ login: u.login, email: u.email ?? null }));
    },
    async user(login) {
      const body = await get(`v2/users/${encodeURIComponent(login)}`);
      if (body === null) return null;
      const parsed = userAnswer.safeParse(body);
      return parsed.success ? { login: parsed.data.login, email: parsed.data.email ?? null } : null;
    },
  };
}
