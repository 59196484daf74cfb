import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { ConfigError } from '../config.js';
import { AppError } from './errors.js';

/**
 * Secrets at rest: the channel credentials kept in the database (Slack and Mattermost tokens, the
 * SMTP URL with its password, the webhook secret) and the link signing key (settings/service.ts) are
 * sealed with AES-256-GCM under `CONVENE_SECRETS_KEY` when one is set. A sealed value reads
 * `enc:v1:<key id>:<iv>:<tag>:<ciphertext>` (base64url), bound to its row (the channel's name, or
 * 'link signing key') so a value copied to another row does not open. Without a key values are stored as before, and values
 * stored before a key was set stay readable, so an existing install keeps working and is sealed by
 * `convene secrets rotate` (or the next save). Rotation: set the new key, list the old one in
 * `CONVENE_SECRETS_PREVIOUS_KEYS`, run `convene secrets rotate`, then drop the old key.
 */

const PREFIX = 'enc:v1:';

interface Key {
  id: string;
  bytes: Buffer;
}

let current: Key | null = null;
let previous: Key[] = [];

export function parseSecretsKey(raw: string, name = 'secrets.key (CONVENE_SECRETS_KEY)'): Key {
  const text = raw.trim();
  const bytes = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (bytes.length !== 32 || !/^([0-9a-f]{64}|[A-Za-z0-9+/_-]{43}=?)$/i.test(text))
    throw new ConfigError(
      `Invalid configuration:\n  ${name}: must be 32 random bytes in base64 or hex (make one with: openssl rand -base64 32)`,
    );
  return { id: createHash('sha256').update(bytes).digest('hex').slice(0, 8), bytes };
}

/** Sets the keys for this process (at start, from the config). */
export function configureSecrets(config: { key?: string | undefined; previousKeys?: string[] }): void {
  current = config.key ? parseSecretsKey(config.key) : null;
  previous = (config.previousKeys ?? []).map((raw) =>
    parseSecretsKey(raw, 'secrets.previousKeys (CONVENE_SECRETS_PREVIOUS_KEYS)'),
  );
}

export const secretsKeyId = (): string | null => current?.id ?? null;

export const isSealed = (stored: string): boolean => stored.startsWith(PREFIX);

/** Seals `plain` with the current key; without a key it is returned as it is. */
export function seal(plain: string, boundTo: string): string {
  if (!current) return plain;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', current.bytes, iv);
  cipher.setAAD(Buffer.from(boundTo));
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  const parts = [iv, cipher.getAuthTag(), data].map((part) => part.toString('base64url'));
  return `${PREFIX}${current.id}:${parts.join(':')}`;
}

/** A stored credential that cannot be opened: says which key is missing, never the value. */
export class SecretsError extends AppError {
  constructor(message: string) {
    super('conflict', message);
    this.name = 'SecretsError';
  }
}

/** Opens a sealed value with whichever configured key sealed it; an unsealed value is returned as stored. */
export function unseal(stored: string, boundTo: string): string {
  if (!isSealed(stored)) return stored;
  const [id, iv, tag, data] = stored.slice(PREFIX.length).split(':');
  const key = [current, ...previous].find((candidate) => candidate?.id === id);
  if (!key)
    throw new SecretsError(
      `The ${boundTo} credentials are encrypted with key ${id}, which is not configured: set CONVENE_SECRETS_KEY (or list it in CONVENE_SECRETS_PREVIOUS_KEYS while rotating).`,
    );
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.bytes, Buffer.from(iv ?? '', 'base64url'));
    decipher.setAAD(Buffer.from(boundTo));
    decipher.setAuthTag(Buffer.from(tag ?? '', 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data ?? '', 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretsError(`The ${boundTo} credentials do not decrypt with key ${id}: they were changed or damaged.`);
  }
}
