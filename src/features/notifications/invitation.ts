/**
 * How a meeting is named to calendars. The e-mailed invitations and the .ics download must agree
 * (same UID, same SEQUENCE), or a calendar that receives both shows the meeting twice.
 */

/** "Convene <convene@example.org>" or a bare address, as name and address. */
export function mailAddress(from: string): { name: string; email: string } {
  const match = /^(.*)<([^>]+)>\s*$/.exec(from);
  return match
    ? { name: (match[1] ?? '').trim(), email: (match[2] ?? '').trim() }
    : { name: 'Convene', email: from.trim() };
}

/** The domain of the sender's address: it qualifies message ids and calendar UIDs. */
export const mailDomain = (from: string): string => mailAddress(from).email.split('@')[1] ?? 'convene.local';

export const invitationUid = (meetingId: string, from: string): string => `${meetingId}@${mailDomain(from)}`;

/** Rises with every change of the meeting (updated_at moves at least a second per change). */
export const invitationSequence = (updatedAt: string): number => Math.floor(Date.parse(updatedAt) / 1000);
