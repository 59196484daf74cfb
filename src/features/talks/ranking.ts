export interface Rankable {
  id: string;
  vote_count: number;
  created_at: string;
}

export interface Ranked<T> {
  item: T;
  /** 1, 2, 2, 4…: proposals with as many votes share a rank. */
  rank: number;
  selected: boolean;
}

/**
 * Most votes first; among equals, the earlier proposal first (it has been up for votes longest).
 * The first `topN` are selected; `tieAtCutoff` tells the organisers when the last selected talk
 * has as many votes as the first one left out, so they can decide rather than the clock.
 */
export function rankProposals<T extends Rankable>(
  items: T[],
  topN: number,
): { ranked: Ranked<T>[]; tieAtCutoff: boolean } {
  const sorted = [...items].sort(
    (a, b) => b.vote_count - a.vote_count || a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id),
  );
  let rank = 0;
  const ranked = sorted.map((item, index) => {
    if (index === 0 || sorted[index - 1]!.vote_count !== item.vote_count) rank = index + 1;
    return { item, rank, selected: index < topN };
  });
  const last = sorted[topN - 1];
  const next = sorted[topN];
  return { ranked, tieAtCutoff: !!last && !!next && last.vote_count === next.vote_count };
}
