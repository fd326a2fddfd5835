/**
 * DingTalk interactive cards for ChoiceCards, used only when a card template
 * id is configured (otherwise a ChoiceCard goes out as markdown).
 *
 * Template contract — the card template designed in DingTalk's card platform
 * must declare these variables (cardParamMap values are always strings):
 *   - `title`        the question's title
 *   - `description`  a few lines under the title (may be empty)
 *   - `options`      JSON string of `[{"id": "...", "label": "..."}]`, bound to
 *                    a single-select (radio/dropdown) component
 *   - `selected`     the preselected option id, or '' for none
 *   - `questionKey`  echoed back so the answer can be filed under its question
 *   - `submitKey`    the submit button's action id (also its `actionIds[0]`)
 *   - `submitLabel`  text of the submit button
 *   - `done`         'false' until answered, then 'true': the template hides or
 *                    disables the selector and button when it is 'true'
 *   - `doneLabel`    text shown in place of the button once `done` is 'true'
 * The submit button's callback (actionType "request") must send the params
 * `{"questionKey": "${questionKey}", "choice": <the chosen option id>}`;
 * `selected` is accepted in place of `choice`.
 */
import { createHash } from 'node:crypto';
import { isValidUserId } from '../shared/user-id';
import type { Card, CardAction, CardUpdate, ChatEvent, InlineReply } from '../types';
import type { DingtalkSettings } from './settings';

/** Settings for cards: the app's settings plus the template id. */
export type DingtalkCardSettings = Pick<DingtalkSettings, 'robotCode'> & { cardTemplateId: string };

/** The question key assumed when a callback does not carry one. */
export const DEFAULT_QUESTION_KEY = 'score';

// A button card rides on the same template: its buttons are the options of this question,
// and a tap comes back as the chosen button's key.
const BUTTON_QUESTION = '__button';

/** The template's variables for a card (all strings, as DingTalk wants them). */
export function cardParams(card: Card): Record<string, string> {
  const choice =
    card.type === 'choice'
      ? card
      : {
          options: card.buttons.map((b) => ({ id: b.key, label: b.label })),
          selected: undefined,
          questionKey: BUTTON_QUESTION,
          submitKey: BUTTON_QUESTION,
          submitLabel: '确定',
        };
  const locked = card.type === 'buttons' ? card.lockedLabel : undefined;
  return {
    title: card.title,
    description: card.description,
    options: JSON.stringify(choice.options.map(({ id, label }) => ({ id, label }))),
    selected: choice.selected ?? '',
    questionKey: choice.questionKey,
    submitKey: choice.submitKey,
    submitLabel: choice.submitLabel,
    done: locked ? 'true' : 'false',
    doneLabel: locked ?? '',
  };
}

/** Body of POST /v1.0/card/instances/createAndDeliver for one person's one-to-one robot chat. */
export function cardRequest(
  card: Card,
  userId: string,
  settings: DingtalkCardSettings,
): Record<string, unknown> {
  const cardParamMap = cardParams(card);
  return {
    cardTemplateId: settings.cardTemplateId,
    outTrackId: card.cardId,
    callbackType: 'STREAM',
    cardData: { cardParamMap },
    openSpaceId: `dtv1.card//IM_ROBOT.${userId}`,
    imRobotOpenDeliverModel: { spaceType: 'IM_ROBOT', robotCode: settings.robotCode },
  };
}

/** Body of PUT /v1.0/card/instances marking an answered card as done. */
export function cardUpdateRequest(update: CardUpdate): Record<string, unknown> {
  return {
    outTrackId: update.cardId,
    cardData: { cardParamMap: { doneLabel: update.doneLabel, done: 'true' } },
  };
}

/**
 * The card callback's synchronous answer for an inline reply: the tapped card
 * takes the next card's params, or is marked done. Both the card's data and
 * the person's private data are set, since a template may bind either (a
 * one-to-one card has one viewer). A text cannot answer a tap: empty, the card
 * stays as it is.
 */
export function cardCallbackResponse(reply: InlineReply | null): Record<string, unknown> {
  if (!reply || reply.type === 'text') return {};
  const cardParamMap =
    reply.type === 'card' ? cardParams(reply.card) : { done: 'true', doneLabel: reply.doneLabel };
  return {
    cardUpdateOptions: { updateCardDataByKey: true, updatePrivateDataByKey: true },
    cardData: { cardParamMap },
    userPrivateData: { cardParamMap },
  };
}

interface CardCallback {
  outTrackId: string;
  userId: string;
  content: string;
}

/**
 * Turns a card callback (the Stream frame's `data`: `{outTrackId, userId,
 * content}` where content is a JSON string of `{cardPrivateData: {actionIds,
 * params}}`) into who tapped and what; null when it is not a readable callback.
 */
export function toCardAction(data: string): { userId: string; action: CardAction } | null {
  const callback = readCallback(data);
  if (!callback) return null;
  let content: unknown;
  try {
    content = JSON.parse(callback.content);
  } catch {
    return null;
  }
  const privateData = isObject(content) ? content.cardPrivateData : undefined;
  if (!isObject(privateData)) return null;
  const actionIds = Array.isArray(privateData.actionIds) ? privateData.actionIds : [];
  const params = isObject(privateData.params) ? privateData.params : {};
  const firstAction: unknown = actionIds[0];
  const key = typeof firstAction === 'string' && firstAction ? firstAction : 'submit';
  const questionKey =
    typeof params.questionKey === 'string' && params.questionKey
      ? params.questionKey
      : DEFAULT_QUESTION_KEY;
  const choice = optionId(params.choice ?? params.selected);
  const button = questionKey === BUTTON_QUESTION;
  return {
    userId: callback.userId,
    action: {
      cardId: callback.outTrackId,
      key: button && choice !== undefined ? choice : key,
      selections: choice === undefined || button ? {} : { [questionKey]: [choice] },
      updateToken: callback.outTrackId,
    },
  };
}

/**
 * The ChatEvent for a card callback, or null when unreadable. Callbacks carry
 * no message id: the id hashes card, person and content, so a re-delivery is
 * dropped as a duplicate (and so is an identical second tap, which changes nothing).
 */
export function toCardEvent(data: string, now: Date): ChatEvent | null {
  const parsed = toCardAction(data);
  const callback = readCallback(data);
  // A stream frame cannot be answered with a 4xx: a sender id DingTalk never sends is dropped.
  if (!parsed || !callback || !isValidUserId('dingtalk', parsed.userId)) return null;
  const hash = createHash('sha256')
    .update([callback.outTrackId, callback.userId, callback.content].join('\n'))
    .digest('hex')
    .slice(0, 32);
  return {
    id: `dingtalk:card:${hash}`,
    platform: 'dingtalk',
    userId: parsed.userId,
    at: now,
    kind: 'action',
    action: parsed.action,
  };
}

function readCallback(data: string): CardCallback | null {
  let body: unknown;
  try {
    body = JSON.parse(data);
  } catch {
    return null;
  }
  if (!isObject(body)) return null;
  const { outTrackId, userId, content } = body;
  if (typeof outTrackId !== 'string' || !outTrackId) return null;
  if (typeof userId !== 'string' || !userId) return null;
  if (typeof content !== 'string') return null;
  return { outTrackId, userId, content };
}

// A select component may report a bare id or an object carrying it ({value} or {id}).
function optionId(value: unknown): string | undefined {
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (isObject(value)) {
    const inner = value.value ?? value.id;
    if (typeof inner === 'string' || typeof inner === 'number') return String(inner);
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
