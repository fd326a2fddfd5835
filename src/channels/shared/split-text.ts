/**
 * Splits text into pieces of at most `maxBytes` UTF-8 bytes, at line breaks
 * where possible and between characters otherwise, so that nothing is cut off
 * or broken mid-character. The line break at each cut is dropped (the message
 * boundary replaces it); pieces that would be blank are not sent.
 */
export function splitUtf8(text: string, maxBytes: number): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    const joined = current ? `${current}\n${line}` : line;
    if (Buffer.byteLength(joined) <= maxBytes) {
      current = joined;
      continue;
    }
    pieces.push(current);
    current = '';
    for (const part of splitLongLine(line, maxBytes)) {
      pieces.push(current);
      current = part;
    }
  }
  pieces.push(current);
  return pieces.filter((piece) => piece.trim() !== '');
}

// Iterating a string yields whole code points, so no surrogate pair is split.
function splitLongLine(line: string, maxBytes: number): string[] {
  const parts: string[] = [];
  let current = '';
  let bytes = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char);
    if (bytes + size > maxBytes) {
      parts.push(current);
      current = '';
      bytes = 0;
    }
    current += char;
    bytes += size;
  }
  parts.push(current);
  return parts;
}
