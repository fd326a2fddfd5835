/** A number as a person writes points: +3, -2, 0. */
export function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}
