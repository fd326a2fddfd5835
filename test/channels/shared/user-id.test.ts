/**
 * A sender id becomes a recipient, a key and a log field: both platforms'
 * event parsers refuse ids with characters the platform never sends (400).
 */
import { toCardEvent } from '../../../src/channels/dingtalk/cards';
import { toChatEvent as dingtalkEvent } from '../../../src/channels/dingtalk/events';
import { toChatEvent as wecomEvent } from '../../../src/channels/wecom/events';
import { parseWecomXml } from '../../../src/channels/wecom/xml';
import { isAppError } from '../../../src/lib/errors';

const HOSTILE = ['nobody|s1', '{"$gt":""}', '../../etc', '<script>', 'a b', 'x'.repeat(65), '张三'];

const wecomText = (from: string) =>
  parseWecomXml(
    `<xml><ToUserName><![CDATA[corp]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName>` +
      '<CreateTime>1716688800</CreateTime><MsgType><![CDATA[text]]></MsgType>' +
      '<Content><![CDATA[/status]]></Content><MsgId>1</MsgId><AgentID>1</AgentID></xml>',
  );

const dingtalkText = (senderStaffId: string) => ({
  conversationType: '1',
  msgtype: 'text',
  msgId: 'm1',
  text: { content: '/status' },
  senderStaffId,
});

/** The error code `run` throws, or 'accepted'. */
function outcome(run: () => unknown): string {
  try {
    run();
    return 'accepted';
  } catch (err) {
    return isAppError(err) ? `${err.status} ${err.code}` : 'crashed';
  }
}

describe('sender ids', () => {
  it.each(HOSTILE)('refuses %j from WeCom and from DingTalk with 400 bad_payload', (id) => {
    // The XML carries the id in CDATA; `<script>` there is text, as a forger would send it.
    expect(outcome(() => wecomEvent(wecomText(id)))).toBe('400 bad_payload');
    expect(outcome(() => dingtalkEvent(dingtalkText(id), new Date()))).toBe('400 bad_payload');
  });

  it.each(HOSTILE)('drops a DingTalk card tap from %j (a stream frame has no 4xx)', (userId) => {
    const tap = (id: string) =>
      JSON.stringify({
        outTrackId: 'card-1',
        userId: id,
        content: JSON.stringify({
          cardPrivateData: { actionIds: ['submit'], params: { choice: '8' } },
        }),
      });
    expect(toCardEvent(tap('zhangwei'), new Date())?.userId).toBe('zhangwei');
    expect(toCardEvent(tap(userId), new Date())).toBeNull();
  });

  it.each(['zhangwei', 'Li.Na-2@corp', 'a_b', '0123456789', 'x'.repeat(64)])(
    'takes the well-formed id %s',
    (id) => {
      expect(wecomEvent(wecomText(id))?.userId).toBe(id);
      expect(dingtalkEvent(dingtalkText(id), new Date())?.userId).toBe(id);
    },
  );
});
