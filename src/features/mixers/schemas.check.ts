import type { z } from 'zod';
import type * as contract from '../../contract/mixers.js';
import type { TEMPLATE_MAX_LENGTH } from '../notifications/templates.js';
import type { AssistingView, PersonBrief } from './assisting.js';
import type { Eligibility } from './eligibility.js';
import type { ExportedRound } from './export.js';
import type { GroupMemberView } from './groupReports.js';
import type { RoundOutcome } from './rounds.js';
import type {
  assistingEnvelope,
  createGroupBody,
  exportedRoundSchema,
  groupMemberViewSchema,
  groupStatsSchema,
  groupViewSchema,
  matchesEnvelope,
  roundOutcomeSchema,
  updateGroupBody,
} from './schemas.js';
import type { GroupStats } from './stats.js';
import type { GroupView, MatchView } from './views.js';

/**
 * Compile-time only: each response schema describes exactly the type its use case returns. A
 * response schema drops the fields it does not name, so a field added to a view without its schema
 * would silently vanish from the answer; here it fails the type check instead.
 */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Expect<T extends true> = T;

export type ResponseSchemasMatch = [
  Expect<Same<z.infer<typeof groupViewSchema>, GroupView>>,
  Expect<Same<z.infer<typeof groupMemberViewSchema>, GroupMemberView>>,
  Expect<Same<z.infer<typeof exportedRoundSchema>, ExportedRound>>,
  Expect<Same<z.infer<typeof roundOutcomeSchema>, RoundOutcome>>,
  Expect<Same<z.infer<typeof groupStatsSchema>, GroupStats>>,
  Expect<Same<z.infer<typeof assistingEnvelope>, AssistingView>>,
  Expect<Same<z.infer<typeof assistingEnvelope>['assistant'], PersonBrief | null>>,
  Expect<Same<z.infer<typeof matchesEnvelope>['matches'][number], MatchView>>,
];

/**
 * The contract repeats two things the server also keeps for itself (the stored eligibility rule,
 * the template length limit), and the server's group bodies add a template syntax check to the
 * contract's: what the web app may send and what the server accepts must stay the same shape.
 */
export type ContractMatchesServer = [
  Expect<Same<contract.Eligibility, Eligibility>>,
  Expect<Same<typeof contract.TEMPLATE_MAX_LENGTH, typeof TEMPLATE_MAX_LENGTH>>,
  Expect<Same<z.input<typeof createGroupBody>, z.input<typeof contract.createGroupBody>>>,
  Expect<Same<z.infer<typeof createGroupBody>, z.infer<typeof contract.createGroupBody>>>,
  Expect<Same<z.input<typeof updateGroupBody>, z.input<typeof contract.updateGroupBody>>>,
  Expect<Same<z.infer<typeof updateGroupBody>, z.infer<typeof contract.updateGroupBody>>>,
];
