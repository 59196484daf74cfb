import type { Told } from '../api/meetings';

const CHANNEL_NAMES: Record<string, string> = { email: 'e-mail', slack: 'Slack', mattermost: 'Mattermost' };

const list = (items: string[]) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;

/** What a change's messages really do, as the server counted them: never "everyone" when nobody is written to. */
export function toldSentence(told: Told | undefined): string {
  if (!told || !told.names.length) {
    return 'Nobody was sent a message: no channel that reaches people is on for them. Let the others know yourself.';
  }
  const how = list(told.channels.map((c) => CHANNEL_NAMES[c] ?? c));
  return `${list(told.names)} will get a message by ${how}.`;
}

/**
 * What a cancellation did: who is told, and who was sent nothing because nothing about the meeting
 * had reached them yet (their waiting introductions were dropped instead).
 */
export function cancelledSentence(told: Told | undefined): string {
  const unaware = told?.unaware ?? [];
  if (!unaware.length) return toldSentence(told).replace('a message', 'a cancellation');
  const quiet = `${list(unaware)} had not been sent anything about it yet, so nothing goes to them.`;
  if (!told?.names.length) return `Nobody is sent a cancellation: ${quiet}`;
  return `${toldSentence(told).replace('a message', 'a cancellation')} ${quiet}`;
}
