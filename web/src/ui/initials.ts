// Graphemes, not UTF-16 units: the first "letter" of 👩🏽‍💻 or of a name in a combining script is
// several code units, and cutting it in half shows a broken glyph.
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const firstGrapheme = (text: string): string => graphemes.segment(text)[Symbol.iterator]().next().value?.segment ?? '';

/**
 * One or two initials for an avatar: the first letters of the first and last words that start with
 * a letter ("Ada 🚀 Lovelace" → "AL"); a name with no such word shows its first symbol ("🦊" → "🦊").
 */
export function initials(name: string): string {
  const trimmed = name.trim();
  const words = trimmed.split(/\s+/).filter((word) => /^\p{L}/u.test(word));
  if (words.length === 0) return firstGrapheme(trimmed) || '?';
  const picked = words.length > 1 ? [words[0]!, words[words.length - 1]!] : words;
  return picked.map((word) => firstGrapheme(word).toLocaleUpperCase()).join('');
}
