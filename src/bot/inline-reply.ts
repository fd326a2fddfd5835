import { createHash } from 'node:crypto';
import type { ButtonCard, Card, ChatEvent, InlineReply } from '../channels/types';
import type { BatchEntry, CardRoute } from '../messaging/message-batch';
import type { InlineLimits } from './inline-slot';
import { encodeRouteStep, STEP_SEPARATOR } from './step-route';

/** What answers an event inside its callback, and which collected replies it replaces. */
export interface InlineChoice {
  reply: InlineReply;
  taken: BatchEntry[];
  /**
   * A card shown in place of the tapped one whose route is too long to ride
   * on its keys: store it with the card, its taps come back under `stepId`.
   */
  step?: { cardId: string; stepId: string; route: CardRoute };
}

/**
 * Picks the replies that can go back inside the callback: for typed text, the
 * leading texts (a card counts by its text form) that fit one message; for a
 * tap, the tapped card itself becomes the next card, or a locked card showing
 * the answer. Whatever is not picked goes out through the API as before.
 */
export function chooseInline(
  entries: readonly BatchEntry[],
  event: ChatEvent,
  limits: InlineLimits,
): InlineChoice | null {
  if (event.kind === 'text') return inlineText(entries, limits);
  if (event.kind === 'action' && event.action) return inlineCard(entries, event);
  return null;
}

function inlineText(entries: readonly BatchEntry[], limits: InlineLimits): InlineChoice | null {
  const taken: BatchEntry[] = [];
  const parts: string[] = [];
  for (const entry of entries) {
    const text = textOf(entry);
    if (text === undefined) break;
    const joined = [...parts, text].join('\n\n');
    if (Buffer.byteLength(joined, 'utf8') > limits.textMaxBytes) break;
    parts.push(text);
    taken.push(entry);
  }
  return taken.length > 0 ? { reply: { type: 'text', text: parts.join('\n\n') }, taken } : null;
}

function inlineCard(entries: readonly BatchEntry[], event: ChatEvent): InlineChoice | null {
  const tapped = event.action!.cardId;
  const mark = entries.find(
    (e) => e.item.payload.kind === 'update' && e.item.payload.update.cardId === tapped,
  );
  if (!mark || mark.item.payload.kind !== 'update') return null;
  const doneLabel = mark.item.payload.update.doneLabel;
  const cardAt = entries.findIndex((e) => e.route && cardOf(e));
  if (cardAt >= 0) {
    const entry = entries[cardAt]!;
    const before = entries.slice(0, cardAt).filter((e) => plainText(e) !== undefined);
    // The keys carry the route itself, so nothing is stored; only a route too long for a key is.
    const route = entry.route!;
    const encoded = encodeRouteStep(route);
    const stepId = encoded ?? createHash('sha256').update(event.id).digest('hex').slice(0, 10);
    const card = withStep(cardOf(entry)!, tapped, stepId);
    const lead = before.map((e) => plainText(e)!);
    if (lead.length > 0) card.description = [...lead, card.description].join('\n');
    return {
      reply: { type: 'card', card },
      taken: [mark, ...before, entry],
      ...(encoded ? {} : { step: { cardId: tapped, stepId, route } }),
    };
  }
  const texts = entries.filter((e) => plainText(e) !== undefined);
  if (texts.length === 0)
    return { reply: { type: 'label', cardId: tapped, doneLabel }, taken: [mark] };
  const [title = '', ...rest] = texts
    .map((e) => plainText(e)!)
    .join('\n')
    .split('\n');
  const locked: ButtonCard = {
    type: 'buttons',
    cardId: tapped,
    title,
    description: rest.join('\n'),
    buttons: [],
    lockedLabel: doneLabel,
  };
  return { reply: { type: 'card', card: locked }, taken: [mark, ...texts] };
}

function plainText(entry: BatchEntry): string | undefined {
  const { payload } = entry.item;
  return payload.kind === 'send' && payload.message.type === 'text'
    ? payload.message.text
    : undefined;
}

function textOf(entry: BatchEntry): string | undefined {
  return plainText(entry) ?? (cardOf(entry) ? entry.inlineText : undefined);
}

function cardOf(entry: BatchEntry): Card | undefined {
  const { payload } = entry.item;
  if (payload.kind !== 'send') return undefined;
  const message = payload.message;
  return message.type === 'choice' || message.type === 'buttons' ? message : undefined;
}

// The card keeps the tapped card's id (the platform replaces that card), and
// every key it reports names this step, so a tap is routed to what it answers.
function withStep(card: Card, cardId: string, stepId: string): Card {
  const suffix = `${STEP_SEPARATOR}${stepId}`;
  if (card.type === 'choice') return { ...card, cardId, submitKey: card.submitKey + suffix };
  return { ...card, cardId, buttons: card.buttons.map((b) => ({ ...b, key: b.key + suffix })) };
}
