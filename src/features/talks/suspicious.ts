export interface Voter {
  id: string;
  name: string;
  username: string;
  signupIp: string | null;
  createdAt: string;
}

export interface VoteRef {
  personId: string;
  proposalId: string;
}

export interface SuspiciousGroup {
  address: string;
  windowMinutes: number;
  accounts: Array<{ id: string; name: string; username: string; createdAt: string }>;
  /** Proposals that most of the group voted for, with how many of the group did. */
  proposals: Array<{ id: string; votesFromGroup: number }>;
}

export interface SuspicionRules {
  /** Accounts from one address count as "made together" when each came at most this long after the previous. */
  windowMinutes: number;
  /** How many such accounts make a group worth a look. */
  minAccounts: number;
}

export const defaultRules: SuspicionRules = { windowMinutes: 60, minAccounts: 3 };

/**
 * Hints, not verdicts: voters whose accounts were created from one address within a short time
 * (each at most `windowMinutes` after the previous), at least `minAccounts` of them, who voted for
 * the same proposals (each flagged proposal has votes from at least `minAccounts` of the group and
 * from at least half of it). An office behind one NAT address signing up together looks the
 * same, so the page says "look at", never "remove".
 */
export function suspiciousGroups(
  voters: Voter[],
  votes: VoteRef[],
  rules: SuspicionRules = defaultRules,
): SuspiciousGroup[] {
  const byAddress = new Map<string, Voter[]>();
  for (const voter of voters) {
    if (!voter.signupIp) continue;
    byAddress.set(voter.signupIp, [...(byAddress.get(voter.signupIp) ?? []), voter]);
  }
  const votesOf = new Map<string, string[]>();
  for (const vote of votes) votesOf.set(vote.personId, [...(votesOf.get(vote.personId) ?? []), vote.proposalId]);

  const windowMs = rules.windowMinutes * 60_000;
  const groups: SuspiciousGroup[] = [];
  for (const [address, people] of byAddress) {
    if (people.length < rules.minAccounts) continue;
    const sorted = [...people].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    let run: Voter[] = [];
    const flush = () => {
      if (run.length >= rules.minAccounts) {
        const group = judge(address, run, votesOf, rules);
        if (group) groups.push(group);
      }
    };
    for (const voter of sorted) {
      const previous = run[run.length - 1];
      if (previous && Date.parse(voter.createdAt) - Date.parse(previous.createdAt) > windowMs) {
        flush();
        run = [];
      }
      run.push(voter);
    }
    flush();
  }
  return groups.sort((a, b) => b.accounts.length - a.accounts.length || a.address.localeCompare(b.address));
}

function judge(
  address: string,
  run: Voter[],
  votesOf: Map<string, string[]>,
  rules: SuspicionRules,
): SuspiciousGroup | null {
  const counts = new Map<string, number>();
  for (const voter of run) {
    for (const proposalId of votesOf.get(voter.id) ?? []) counts.set(proposalId, (counts.get(proposalId) ?? 0) + 1);
  }
  const needed = Math.max(rules.minAccounts, Math.ceil(run.length / 2));
  const shared = [...counts]
    .filter(([, n]) => n >= needed)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([id, votesFromGroup]) => ({ id, votesFromGroup }));
  if (!shared.length) return null;
  return {
    address,
    windowMinutes: rules.windowMinutes,
    accounts: run.map((voter) => ({
      id: voter.id,
      name: voter.name,
      username: voter.username,
      createdAt: voter.createdAt,
    })),
    proposals: shared,
  };
}
