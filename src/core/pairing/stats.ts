import type { RoundContext } from './context.js';
import type { PairingStats } from './types.js';

/** Counts over every internal pair of every group (a trio contributes three pairs). */
export function roundStats(ctx: RoundContext, groups: readonly number[][]): PairingStats {
  const stats: PairingStats = { repeatPairs: 0, sameTeamPairs: 0, managerReportPairs: 0 };
  for (const g of groups) {
    for (let x = 0; x < g.length; x++) {
      for (let y = x + 1; y < g.length; y++) {
        const a = g[x]!;
        const b = g[y]!;
        if (ctx.met(a, b)) stats.repeatPairs++;
        if (ctx.sameTeam(a, b)) stats.sameTeamPairs++;
        if (ctx.managerPair(a, b)) stats.managerReportPairs++;
      }
    }
  }
  return stats;
}
