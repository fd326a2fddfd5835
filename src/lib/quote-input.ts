/**
 * How a reply repeats what a person typed. Echoing the whole input lets anyone
 * make the bot send back 30,000 characters (split into many API messages), so
 * a reply shows only the first few characters and an ellipsis.
 */
const MAX_CHARS = 8;

/** The start of `input`, at most 8 characters (code points), with "…" when cut. */
export function clipInput(input: string): string {
  const chars = Array.from(input.trim());
  return chars.length > MAX_CHARS ? `${chars.slice(0, MAX_CHARS).join('')}…` : chars.join('');
}

/** `input` clipped and in Chinese quotation marks: “1.111111…”. */
export function quoteInput(input: string): string {
  return `“${clipInput(input)}”`;
}
