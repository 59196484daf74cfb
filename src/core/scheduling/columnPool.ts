/**
 * Sets of sessions found so far for the master LP of the Lagrangian bounds (lagrangian.ts per slot,
 * classBound.ts per class of slots): each column is a group (slot or class), its sessions and its
 * value, flattened; the same set offered twice for the same group is kept once.
 */
export class ColumnPool {
  readonly group: number[] = [];
  readonly start: number[] = [0];
  readonly sessions: number[] = [];
  readonly value: number[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly worth: (group: number, sessions: readonly number[]) => number) {}

  get size(): number {
    return this.group.length;
  }

  /** Adds the column unless the group already has this set; returns whether it was new. */
  add(group: number, sessions: readonly number[]): boolean {
    const key = `${group}:${[...sessions].sort((a, b) => a - b).join(',')}`;
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    this.group.push(group);
    this.sessions.push(...sessions);
    this.start.push(this.sessions.length);
    this.value.push(this.worth(group, sessions));
    return true;
  }
}
