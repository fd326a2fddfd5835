/** The card callback's synchronous answer: what DingTalk shows on the tapped card. */
import { cardCallbackResponse, cardParams } from '../../../src/channels/dingtalk/cards';
import type { ButtonCard } from '../../../src/channels/types';
import { scoreCard } from '../../fixtures/choice-card';

const OPTIONS = { updateCardDataByKey: true, updatePrivateDataByKey: true };

describe('cardCallbackResponse', () => {
  it('gives the tapped card the next card’s params, in the card and the private data', () => {
    const next = { ...scoreCard, submitKey: 'submit~ab12' };
    expect(cardCallbackResponse({ type: 'card', card: next })).toEqual({
      cardUpdateOptions: OPTIONS,
      cardData: { cardParamMap: cardParams(next) },
      userPrivateData: { cardParamMap: cardParams(next) },
    });
    const map = cardParams(next);
    expect(map.submitKey).toBe('submit~ab12');
    expect(map.done).toBe('false');
  });

  it('marks the card done with its label', () => {
    const response = cardCallbackResponse({ type: 'label', cardId: 'k1', doneLabel: '已选 8 分' });
    expect(response.cardData).toEqual({ cardParamMap: { done: 'true', doneLabel: '已选 8 分' } });
    expect(response.cardUpdateOptions).toEqual(OPTIONS);
  });

  it('shows a locked button card as done, with its text', () => {
    const locked: ButtonCard = {
      type: 'buttons',
      cardId: 'k2',
      title: '已提交自评，合计 80 分。',
      description: '谢谢！',
      buttons: [],
      lockedLabel: '已提交',
    };
    const map = (
      cardCallbackResponse({ type: 'card', card: locked }).cardData as {
        cardParamMap: Record<string, string>;
      }
    ).cardParamMap;
    expect(map).toMatchObject({ done: 'true', doneLabel: '已提交', title: locked.title });
    expect(Object.values(map).every((v) => typeof v === 'string')).toBe(true);
  });

  it('leaves the card as it is without an answer (or with a text, which a card cannot show)', () => {
    expect(cardCallbackResponse(null)).toEqual({});
    expect(cardCallbackResponse({ type: 'text', text: '你好' })).toEqual({});
  });
});
