import type { Config } from '../../config.js';
import { publicUrlOf } from '../../config.js';
import { hashToken, newToken } from '../../lib/ids.js';

/**
 * Links sent by e-mail carry a 256-bit token after `#`: the fragment never reaches a server's access
 * log or a Referer header, and only its sha256 is stored, so a leaked row cannot be replayed.
 */
export type LinkPage = 'invite' | 'reset-password' | 'verify-email';

export function newLinkToken(): { token: string; hash: string } {
  const token = newToken();
  return { token, hash: hashToken(token) };
}

export const linkUrl = (config: Config, page: LinkPage, token: string): string =>
  `${publicUrlOf(config)}/${page}#${token}`;

export const INVITATION_DAYS = 7;
export const RESET_SECONDS = 3600;
export const VERIFICATION_SECONDS = 3 * 86_400;
