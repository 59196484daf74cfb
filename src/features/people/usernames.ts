import type { Executor } from '../../db/database.js';

/** A readable username from an e-mail address: its local part in plain letters (`ada.l@…` → `ada.l`). */
export function usernameFromEmail(email: string): string {
  return (
    email
      .toLowerCase()
      .replace(/@.*$/, '')
      .replace(/[^a-z0-9._-]+/g, '')
      .slice(0, 40) || 'user'
  );
}

/** `first.last` in plain letters, accents dropped (`Zoë Müller` → `zoe.muller`). */
export function usernameFromName(first: string, last?: string | null): string {
  return (
    [first, last]
      .filter(Boolean)
      .join('.')
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9.-]+/g, '')
      .slice(0, 40) || 'user'
  );
}

/**
 * `base` when nobody has it, else the first of `base2`, `base3`… that is free. A username made for
 * someone (from an e-mail or a name) must never take another person's; `createPerson` asks again
 * when a concurrent writer took the answer first.
 */
export async function freeUsername(db: Executor, base: string): Promise<string> {
  const taken = new Set(
    (await db.selectFrom('people').select('username').where('username', 'like', `${base}%`).execute()).map(
      (row) => row.username,
    ),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}${n}`)) return `${base}${n}`;
}
