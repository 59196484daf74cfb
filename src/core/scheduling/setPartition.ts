import type { Highs } from './exact.js';

/**
 * The set-partition model in HiGHS, the one builder for the exact method (one group per slot) and the
 * class bound (one group per class of identical slots): rows are the sessions (each in at most one
 * chosen column) then the groups (group g takes exactly `groupCounts[g]` columns); each column is a
 * set of sessions of one group, worth its value, taken at most as often as its group's count.
 */
export interface SetPartitionColumns {
  group: ArrayLike<number>;
  start: ArrayLike<number>;
  sessions: ArrayLike<number>;
  value: ArrayLike<number>;
}

export function createSetPartitionModel(
  highs: Highs,
  nSessions: number,
  groupCounts: ArrayLike<number>,
  columns: SetPartitionColumns,
  /** The columns to include (all when absent), in this order. */
  cols: readonly number[] | null,
  integer: boolean,
) {
  const n = cols ? cols.length : columns.group.length;
  const nRows = nSessions + groupCounts.length;
  const starts = new Int32Array(n + 1);
  const indices: number[] = [];
  const cost = new Float64Array(n);
  const upper = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const c = cols ? cols[j]! : j;
    for (let k = columns.start[c]!; k < columns.start[c + 1]!; k++) indices.push(columns.sessions[k]!);
    indices.push(nSessions + columns.group[c]!);
    starts[j + 1] = indices.length;
    cost[j] = columns.value[c]!;
    upper[j] = groupCounts[columns.group[c]!]!;
  }
  const rowLower = new Float64Array(nRows);
  const rowUpper = new Float64Array(nRows).fill(1);
  for (let g = 0; g < groupCounts.length; g++) {
    rowLower[nSessions + g] = groupCounts[g]!;
    rowUpper[nSessions + g] = groupCounts[g]!;
  }
  return highs.createModel({
    numCols: n,
    numRows: nRows,
    sense: highs.constants.objectiveSense.maximize,
    colCost: cost,
    colLower: new Float64Array(n),
    colUpper: upper,
    rowLower,
    rowUpper,
    matrix: {
      format: 'csc',
      numRows: nRows,
      numCols: n,
      starts,
      indices: Int32Array.from(indices),
      values: new Float64Array(indices.length).fill(1),
    },
    integrality: new Int32Array(n).fill(integer ? highs.constants.variableType.integer : 0),
  });
}
