/**
 * The simulator opens the bot's passive replies as WeCom would: the bot's own
 * sealing (passiveReplyXml) goes in, the JSON message/send would have carried
 * comes out; a reply WeCom would drop is refused with the reason.
 */
import type { ButtonCard, ChoiceCard } from '../../src/channels/types';
import { templateCard } from '../../src/channels/wecom/messenger';
import { passiveReplyXml } from '../../src/channels/wecom/passive-reply';
import { BrokenPassiveReply, openPassiveReply } from '../../src/simulator/passive-reply';
import { testWecomSettings } from '../helpers/wecom-callback';

const settings = testWecomSettings();
const now = new Date('2026-12-01T02:00:00Z');

const choice: ChoiceCard = {
  type: 'choice',
  cardId: 'card-1',
  title: '2/11 服务态度',
  description: '满分 10 分\n点选分数后按“确定”。',
  questionKey: 'score',
  options: [
    { id: '0', label: '0分' },
    { id: '9', label: '9分' },
  ],
  selected: '9',
  submitKey: 'score~ab12',
  submitLabel: '确定',
};

describe('opening a passive reply', () => {
  it('gives back a replaced card in the JSON shape message/send uses', () => {
    const body = passiveReplyXml(settings, 'zhangwei', { type: 'card', card: choice }, now);
    const reply = openPassiveReply(settings, body, 'zhangwei');
    expect(reply).toEqual({ type: 'card', toUser: 'zhangwei', card: templateCard(choice) });
  });

  it('keeps a button card with one button a list, and its locked text', () => {
    const locked: ButtonCard = {
      type: 'buttons',
      cardId: 'card-2',
      title: '已提交自评',
      description: '合计 89 分',
      buttons: [],
      lockedLabel: '已提交',
    };
    const body = passiveReplyXml(settings, 'zhangwei', { type: 'card', card: locked }, now);
    const reply = openPassiveReply(settings, body, 'zhangwei');
    expect(reply).toEqual({ type: 'card', toUser: 'zhangwei', card: templateCard(locked) });
    expect((templateCard(locked).button_list as unknown[]).length).toBe(1);
  });

  it('gives back a text and a button label', () => {
    const text = passiveReplyXml(settings, 'lina', { type: 'text', text: '已记录。' }, now);
    expect(openPassiveReply(settings, text, 'lina')).toEqual({
      type: 'text',
      toUser: 'lina',
      text: '已记录。',
    });
    const label = { type: 'label' as const, cardId: 'c', doneLabel: '已选 7 分' };
    expect(
      openPassiveReply(settings, passiveReplyXml(settings, 'lina', label, now), 'lina'),
    ).toEqual({ type: 'label', toUser: 'lina', label: '已选 7 分' });
  });

  it('takes an empty body as no reply', () => {
    expect(openPassiveReply(settings, '', 'lina')).toBeNull();
  });

  it.each([
    ['signed with another token', { token: 'another-token-another-token-12345' }, /signature/],
    ['sealed for another corp', { corpId: 'wwsomeoneelse' }, /another receiver/],
  ])('refuses a reply %s', (_case, other, reason) => {
    const body = passiveReplyXml(
      { ...settings, ...other },
      'lina',
      { type: 'text', text: '你好' },
      now,
    );
    expect(() => openPassiveReply(settings, body, 'lina')).toThrow(BrokenPassiveReply);
    expect(() => openPassiveReply(settings, body, 'lina')).toThrow(reason);
  });

  it('refuses a reply meant for someone else, and one that is not XML', () => {
    const body = passiveReplyXml(settings, 'lina', { type: 'text', text: '你好' }, now);
    expect(() => openPassiveReply(settings, body, 'zhangwei')).toThrow(/for lina/);
    expect(() => openPassiveReply(settings, '{"ok":true}', 'lina')).toThrow(BrokenPassiveReply);
  });
});
