/** One earlier meeting. A trio counts as its three internal pairs. */
export interface PastMeeting {
  participants: string[];
  /** ms timestamp or round ordinal; only the order matters. */
  at: number;
}

/**
 * Who has met whom, how often and when last — in flat typed arrays, because a group of 10,000
 * people with years of rounds has millions of pairs and a Map of objects would not fit.
 *
 * Rows are CSR: the partners of person i are partner[rowStart[i] .. rowStart[i+1]), sorted, so a
 * lookup is a binary search and walking someone's whole history is a slice scan.
 */
export class MeetingIndex {
  readonly ids: readonly string[];
  private readonly indexById: Map<string, number>;
  private readonly rowStart: Int32Array;
  private readonly partner: Int32Array;
  private readonly times: Int32Array;
  private readonly last: Float64Array;
  /** Latest meeting time per person (-Infinity if never met anyone). */
  private readonly lastSeen: Float64Array;
  /** Distinct meeting times, ascending. */
  readonly timeline: Float64Array;

  private constructor(
    ids: string[],
    indexById: Map<string, number>,
    rowStart: Int32Array,
    partner: Int32Array,
    times: Int32Array,
    last: Float64Array,
    lastSeen: Float64Array,
    timeline: Float64Array,
  ) {
    this.ids = ids;
    this.indexById = indexById;
    this.rowStart = rowStart;
    this.partner = partner;
    this.times = times;
    this.last = last;
    this.lastSeen = lastSeen;
    this.timeline = timeline;
  }

  static fromHistory(history: readonly PastMeeting[]): MeetingIndex {
    const ids: string[] = [];
    const indexById = new Map<string, number>();
    const intern = (id: string): number => {
      let i = indexById.get(id);
      if (i === undefined) {
        i = ids.length;
        ids.push(id);
        indexById.set(id, i);
      }
      return i;
    };

    // Pass 1: intern everyone and count each person's (directed, possibly repeated) pair entries.
    let flatLength = 0;
    for (const meeting of history) flatLength += meeting.participants.length;
    const flat = new Int32Array(flatLength);
    const meetingEnd = new Int32Array(history.length);
    const degree: number[] = [];
    let cursor = 0;
    const distinctTimes = new Set<number>();
    for (let g = 0; g < history.length; g++) {
      const meeting = history[g]!;
      const start = cursor;
      for (const id of meeting.participants) {
        const i = intern(id);
        // A person listed twice in one meeting did not meet themself.
        let duplicate = false;
        for (let c = start; c < cursor; c++) if (flat[c] === i) duplicate = true;
        if (!duplicate) flat[cursor++] = i;
      }
      meetingEnd[g] = cursor;
      const size = cursor - start;
      if (size >= 2) distinctTimes.add(meeting.at);
      for (let c = start; c < cursor; c++) {
        const i = flat[c]!;
        while (degree.length <= i) degree.push(0);
        degree[i]! += size - 1;
      }
    }
    const n = ids.length;
    const rawStart = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) rawStart[i + 1] = rawStart[i]! + (degree[i] ?? 0);
    const total = rawStart[n]!;

    // Pass 2: unsorted rows of (partner, time).
    const rawPartner = new Int32Array(total);
    const rawTime = new Float64Array(total);
    const fill = rawStart.slice(0, n);
    const lastSeen = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
    let begin = 0;
    for (let g = 0; g < history.length; g++) {
      const end = meetingEnd[g]!;
      const at = history[g]!.at;
      for (let x = begin; x < end; x++) {
        const i = flat[x]!;
        if (end - begin >= 2 && at > lastSeen[i]!) lastSeen[i] = at;
        for (let y = begin; y < end; y++) {
          if (x === y) continue;
          const slot = fill[i]!++;
          rawPartner[slot] = flat[y]!;
          rawTime[slot] = at;
        }
      }
      begin = end;
    }

    // Pass 3: transposing the rows emits every row in ascending partner order (a counting sort),
    // so duplicates of a pair become adjacent and merge without any comparison sort.
    const sortedStart = rawStart;
    const sortedPartner = new Int32Array(total);
    const sortedTime = new Float64Array(total);
    const put = rawStart.slice(0, n);
    for (let j = 0; j < n; j++) {
      for (let s = rawStart[j]!; s < rawStart[j + 1]!; s++) {
        const i = rawPartner[s]!;
        const slot = put[i]!++;
        sortedPartner[slot] = j;
        sortedTime[slot] = rawTime[s]!;
      }
    }
    const rowStart = new Int32Array(n + 1);
    let out = 0;
    for (let i = 0; i < n; i++) {
      rowStart[i] = out;
      let prev = -1;
      for (let s = sortedStart[i]!; s < sortedStart[i + 1]!; s++) {
        const j = sortedPartner[s]!;
        const at = sortedTime[s]!;
        if (j === prev) {
          sortedTime[out - 1] = Math.max(sortedTime[out - 1]!, at);
          rawPartner[out - 1]!++; // reuse rawPartner as the meeting counter
        } else {
          sortedPartner[out] = j;
          sortedTime[out] = at;
          rawPartner[out] = 1;
          out++;
          prev = j;
        }
      }
    }
    rowStart[n] = out;
    const timeline = Float64Array.from(distinctTimes).sort();
    return new MeetingIndex(
      ids,
      indexById,
      rowStart,
      sortedPartner.slice(0, out),
      rawPartner.slice(0, out),
      sortedTime.slice(0, out),
      lastSeen,
      timeline,
    );
  }

  get personCount(): number {
    return this.ids.length;
  }

  /** Number of distinct pairs that have met. */
  get pairCount(): number {
    return this.partner.length / 2;
  }

  indexOf(id: string): number | undefined {
    return this.indexById.get(id);
  }

  /** Position of the pair's entry in person a's row, or -1 if they never met. */
  find(a: number, b: number): number {
    let lo = this.rowStart[a]!;
    let hi = this.rowStart[a + 1]! - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const p = this.partner[mid]!;
      if (p === b) return mid;
      if (p < b) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  timesMet(a: number, b: number): number {
    const at = this.find(a, b);
    return at === -1 ? 0 : this.times[at]!;
  }

  /** When a and b last met, or -Infinity. */
  lastMet(a: number, b: number): number {
    const at = this.find(a, b);
    return at === -1 ? Number.NEGATIVE_INFINITY : this.last[at]!;
  }

  lastSeenAt(a: number): number {
    return this.lastSeen[a]!;
  }

  rowBegin(a: number): number {
    return this.rowStart[a]!;
  }

  rowEnd(a: number): number {
    return this.rowStart[a + 1]!;
  }

  partnerAt(entry: number): number {
    return this.partner[entry]!;
  }

  timesAt(entry: number): number {
    return this.times[entry]!;
  }

  lastAt(entry: number): number {
    return this.last[entry]!;
  }

  /** Number of distinct meeting times strictly after `at` — "how many rounds ago". */
  roundsSince(at: number): number {
    let lo = 0;
    let hi = this.timeline.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.timeline[mid]! <= at) lo = mid + 1;
      else hi = mid;
    }
    return this.timeline.length - lo;
  }
}
