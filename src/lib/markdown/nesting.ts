/** More block containers inside each other than any real text needs (quotes in quotes, lists in lists). */
export const MAX_NESTING = 32;

const isBlank = (char: string | undefined) => char === undefined || char === ' ' || char === '\t';
const isDigit = (char: string | undefined) => char !== undefined && char >= '0' && char <= '9';

/**
 * The most block containers opened on one line: `> > 1. + text` opens four. marked parses each
 * level with a recursive call (and slows down with the depth), so a text of thousands of `> ` is
 * refused here, before it reaches a render thread. One linear pass, no regular expression.
 */
export function deepestNesting(source: string): number {
  let deepest = 0;
  let depth = 0;
  let i = 0;
  const n = source.length;
  while (i < n) {
    const char = source[i];
    if (char === '\n') {
      depth = 0;
      i++;
    } else if (char === ' ' || char === '\t') {
      i++;
    } else if (char === '>') {
      depth++;
      i++;
    } else if ((char === '-' || char === '+' || char === '*') && isBlank(source[i + 1])) {
      depth++;
      i++;
    } else if (isDigit(char)) {
      let j = i;
      while (j < n && j - i < 10 && isDigit(source[j])) j++;
      if ((source[j] === '.' || source[j] === ')') && isBlank(source[j + 1])) {
        depth++;
        i = j + 1;
      } else {
        i = skipLine(source, i);
      }
    } else {
      i = skipLine(source, i);
    }
    if (depth > deepest) deepest = depth;
  }
  return deepest;
}

function skipLine(source: string, from: number): number {
  const end = source.indexOf('\n', from);
  return end === -1 ? source.length : end;
}
