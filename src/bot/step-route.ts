import type { CardRoute } from '../messaging/message-batch';

/** Separates a step from a button or submit key (`score~R…`, or `score~3f2a…` on older cards). */
export const STEP_SEPARATOR = '~';

// Marks a step that carries its route; older step ids are 10 lowercase hex digits, never this.
const ROUTE_MARK = 'R';
// A key must stay short enough for every platform (WeCom keys take far more, but a
// route this long is not a form position); a longer route is stored with the card instead.
const MAX_STEP_BYTES = 400;

/**
 * The step a card replaced in place reports on its keys: its route itself,
 * base64url of `[flow, data]` (characters every platform's keys accept), so a
 * tap is routed without anything stored. Null when the route is too long for
 * a key; the caller stores it under a step id then.
 */
export function encodeRouteStep(route: CardRoute): string | null {
  const step =
    ROUTE_MARK + Buffer.from(JSON.stringify([route.flow, route.data])).toString('base64url');
  return step.length <= MAX_STEP_BYTES ? step : null;
}

/**
 * The route a step carries, or undefined when the step is an older stored
 * step id (look it up in the card's `steps`) or cannot be read.
 */
export function decodeRouteStep(step: string): CardRoute | undefined {
  if (!step.startsWith(ROUTE_MARK)) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(step.slice(1), 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || typeof parsed[0] !== 'string') return undefined;
    const data: unknown = parsed[1];
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
    return { flow: parsed[0], data: data as Record<string, unknown> };
  } catch {
    return undefined;
  }
}

/** A tapped key split into the card's own key and the step it carries (if any). */
export function splitStepKey(key: string): { key: string; step?: string } {
  const at = key.indexOf(STEP_SEPARATOR);
  return at < 0 ? { key } : { key: key.slice(0, at), step: key.slice(at + 1) };
}
