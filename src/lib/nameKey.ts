/** The key that makes a name unique in its scope whatever its case, spacing or Unicode form. */
export const nameKey = (name: string): string => name.normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase();
