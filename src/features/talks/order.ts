import { seedFor } from '../../contract/shuffle.js';

// Voting order: each viewer their own stable shuffle of an event's proposals (the rule is shared
// with the browser, which applies it for signed-out visitors).
export { hash32, shuffledFor } from '../../contract/shuffle.js';

export const viewerSeed = (viewerId: string, eventId: string): number => seedFor(viewerId, eventId);
