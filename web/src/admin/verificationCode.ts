// No 0/O, 1/I/L: easy to read aloud and type.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
// Largest multiple of the alphabet size that fits in a byte, so every character is equally likely.
const LIMIT = 256 - (256 % ALPHABET.length);

/**
 * A random code like "K7QM-4TXR". The server refuses a code with fewer than 5 different
 * characters (about one draw in 750): such a draw is made again.
 */
export function generateVerificationCode(length = 8): string {
  for (;;) {
    const code = drawCode(length);
    if (new Set(code.replace(/-/g, '')).size >= Math.min(5, length)) return code;
  }
}

function drawCode(length: number): string {
  const chars: string[] = [];
  const bytes = new Uint8Array(length * 2);
  while (chars.length < length) {
    crypto.getRandomValues(bytes);
    for (const byte of bytes) {
      if (byte < LIMIT && chars.length < length) chars.push(ALPHABET.charAt(byte % ALPHABET.length));
    }
  }
  return chars.map((char, index) => (index > 0 && index % 4 === 0 ? `-${char}` : char)).join('');
}
