/** Interest levels in index form: counts per level let a slot's best interest be updated in O(1). */
export const LEVEL_VALUES = [0, 25, 75, 100] as const;
