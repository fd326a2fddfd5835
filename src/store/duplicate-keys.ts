/**
 * Whether a failed insert (an unordered insertMany included) failed only on
 * keys already stored (E11000): what was new is in, and what was there stays.
 */
export function onlyDuplicateKeys(err: unknown): boolean {
  const e = err as { code?: number; writeErrors?: { code?: number; err?: { code?: number } }[] };
  const codes = (e.writeErrors ?? []).map((w) => w.code ?? w.err?.code);
  return e.code === 11000 || (codes.length > 0 && codes.every((c) => c === 11000));
}
