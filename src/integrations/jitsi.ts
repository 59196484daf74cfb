import { createHmac, randomBytes } from 'node:crypto';
import type { Config } from '../config.js';

export type VideoSettings = Config['video'];

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** Lower-case RFC 4648 base32 without padding: safe in URLs and in Jitsi's case-folded room names. */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** A short readable prefix from a title: "Coffee & Chat!" → "coffee-chat". */
export function roomPrefix(label: string): string {
  const slug = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 24)
    .replace(/-+$/g, '');
  return slug || 'meeting';
}

/**
 * An unguessable room name: `convene-<prefix>-<120 random bits in base32>`. The prefix only helps
 * people recognise the room; all the secrecy is in the random part (≥ 96 bits required).
 */
export function newRoomName(label: string): string {
  return `convene-${roomPrefix(label)}-${base32(randomBytes(15))}`;
}

const b64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

/** An HS256 JSON Web Token signed with node:crypto. */
export function signHs256(claims: Record<string, unknown>, secret: string): string {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify(claims));
  const signature = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${signature}`;
}

export interface RoomUser {
  id: string;
  name: string;
  email?: string | null;
  avatarUrl?: string | null;
}

/**
 * The token a self-hosted Jitsi with token authentication (jitsi-meet-tokens) expects: aud, iss
 * (the app id), sub (the Jitsi domain), room, exp and nbf, and the user in context.user.
 */
export function jitsiToken(
  settings: NonNullable<VideoSettings['jitsi']['jwt']>,
  domain: string,
  room: string,
  user: RoomUser,
  now = new Date(),
): string {
  const issuedAt = Math.floor(now.getTime() / 1000);
  return signHs256(
    {
      aud: settings.audience,
      iss: settings.appId,
      sub: domain,
      room,
      iat: issuedAt,
      nbf: issuedAt - 60,
      exp: issuedAt + settings.ttlMinutes * 60,
      context: {
        user: {
          id: user.id,
          name: user.name,
          ...(user.email ? { email: user.email } : {}),
          ...(user.avatarUrl ? { avatar: user.avatarUrl } : {}),
        },
      },
    },
    settings.secret,
  );
}

export interface VideoRooms {
  /** The room's shareable URL (no token), or null when there is no video. */
  roomUrl(roomName: string | null): string | null;
  /** True when joining needs a personal token: links in messages then go to the meeting page. */
  readonly personal: boolean;
  /** The URL one person opens to join (with a token on a token-protected Jitsi). */
  joinUrl(roomName: string | null, user: RoomUser, now?: Date): string | null;
}

export function videoRooms(settings: VideoSettings): VideoRooms {
  const base = settings.jitsi.baseUrl.replace(/\/+$/, '');
  const roomUrl = (roomName: string | null): string | null => {
    if (!roomName || settings.provider === 'none') return null;
    if (settings.provider === 'template') {
      return (settings.template ?? '{room}').replaceAll('{room}', encodeURIComponent(roomName));
    }
    return `${base}/${encodeURIComponent(roomName)}`;
  };
  const jwt = settings.provider === 'jitsi' ? settings.jitsi.jwt : undefined;
  return {
    roomUrl,
    personal: Boolean(jwt),
    joinUrl(roomName, user, now) {
      const url = roomUrl(roomName);
      if (!url || !jwt || !roomName) return url;
      return `${url}?jwt=${jitsiToken(jwt, new URL(base).host, roomName, user, now)}`;
    },
  };
}
