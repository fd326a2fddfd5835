import { XMLParser } from 'fast-xml-parser';
import { decrypt } from '@wecom/crypto';
import { passiveReplyXml } from '../../../src/channels/wecom/passive-reply';
import { sign, testWecomSettings } from '../../helpers/wecom-callback';
import { openPassiveReply } from '../../helpers/passive-reply';

const settings = testWecomSettings();
const now = new Date('2024-05-26T02:00:00Z');
const parser = new XMLParser({ parseTagValue: false });

describe('WeCom passive replies', () => {
  it('seals a text reply in the envelope WeCom reads, signed like a callback and sealed for the corp', () => {
    const body = passiveReplyXml(settings, 'zhangwei', { type: 'text', text: '2/11 下一项' }, now);
    const envelope = parser.parse(body).xml;
    expect(Object.keys(envelope)).toEqual(['Encrypt', 'MsgSignature', 'TimeStamp', 'Nonce']);
    expect(envelope.TimeStamp).toBe('1716688800');
    expect(envelope.MsgSignature).toBe(
      sign(settings.token, envelope.TimeStamp, envelope.Nonce, envelope.Encrypt),
    );
    const opened = decrypt(settings.encodingAesKey, envelope.Encrypt);
    expect(opened.id).toBe(settings.corpId);
    expect(parser.parse(opened.message).xml).toEqual({
      ToUserName: 'zhangwei',
      FromUserName: settings.corpId,
      CreateTime: '1716688800',
      MsgType: 'text',
      Content: '2/11 下一项',
    });
  });

  it('replaces a tapped card with a vote card in PascalCase, options as repeated elements', () => {
    const body = passiveReplyXml(
      settings,
      'lina',
      {
        type: 'card',
        card: {
          type: 'choice',
          cardId: 'kabc',
          title: '2/11 耐心解答',
          description: '满分 10 分',
          questionKey: 'score',
          options: [
            { id: '0', label: '0分' },
            { id: '1', label: '1分' },
          ],
          selected: '1',
          submitKey: 'score~s2',
          submitLabel: '确定',
        },
      },
      now,
    );
    const inner = decrypt(settings.encodingAesKey, parser.parse(body).xml.Encrypt).message;
    expect(inner).toContain('<MsgType><![CDATA[update_template_card]]></MsgType>');
    expect(inner).toContain('<CardType><![CDATA[vote_interaction]]></CardType>');
    expect(inner).toContain('<TaskId><![CDATA[kabc]]></TaskId>');
    expect(inner).toContain(
      '<CheckBox><QuestionKey><![CDATA[score]]></QuestionKey><Mode>0</Mode>' +
        '<OptionList><Id><![CDATA[0]]></Id><Text><![CDATA[0分]]></Text><IsChecked>false</IsChecked></OptionList>' +
        '<OptionList><Id><![CDATA[1]]></Id><Text><![CDATA[1分]]></Text><IsChecked>true</IsChecked></OptionList>',
    );
    const reply = openPassiveReply(settings, body);
    expect(reply.card).toMatchObject({
      card_type: 'vote_interaction',
      task_id: 'kabc',
      submit_button: { key: 'score~s2', text: '确定' },
    });
  });

  it('locks a button card with its replace text, and relabels a button with update_button', () => {
    const locked = openPassiveReply(
      settings,
      passiveReplyXml(
        settings,
        'lina',
        {
          type: 'card',
          card: {
            type: 'buttons',
            cardId: 'kdef',
            title: '已提交自评，合计 80 分。',
            description: '',
            buttons: [],
            lockedLabel: '已提交',
          },
        },
        now,
      ),
    );
    expect(locked.card).toMatchObject({ card_type: 'button_interaction', replace_text: '已提交' });
    const label = openPassiveReply(
      settings,
      passiveReplyXml(settings, 'lina', { type: 'label', cardId: 'kdef', doneLabel: '已选' }, now),
    );
    expect(label).toEqual({ toUser: 'lina', msgType: 'update_button', replaceName: '已选' });
  });

  it('keeps a passive text within WeCom’s 2,048 bytes', () => {
    const long = '分'.repeat(1000); // 3,000 bytes
    const reply = openPassiveReply(
      settings,
      passiveReplyXml(settings, 'lina', { type: 'text', text: long }, now),
    );
    expect(Buffer.byteLength(reply.text!)).toBeLessThanOrEqual(2048);
  });
});
