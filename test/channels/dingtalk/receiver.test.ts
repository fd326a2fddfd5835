import request from 'supertest';
import { ManualClock } from '../../../src/lib/clock';
import { dingtalkTestApp, signedHeaders, testDingtalkSettings } from './dingtalk-test-app';

const settings = testDingtalkSettings();
const NOW = Date.parse('2024-05-31T09:00:00+08:00');
const HOUR = 60 * 60 * 1000;

// The shape DingTalk posts for a one-to-one text message (HTTP mode).
const textMessage = (overrides: Record<string, unknown> = {}) => ({
  conversationId: 'cidXYZ==',
  conversationType: '1',
  msgId: 'msgABC123',
  msgtype: 'text',
  text: { content: '  8  ' },
  createAt: NOW - 1000,
  senderId: '$:LWCP_v1:$abc',
  senderNick: '张三',
  senderStaffId: 'zhangsan',
  chatbotUserId: '$:LWCP_v1:$bot',
  robotCode: settings.robotCode,
  sessionWebhook: 'https://oapi.dingtalk.com/robot/sendBySession?session=x',
  sessionWebhookExpiredTime: NOW + HOUR,
  ...overrides,
});

function post(
  app: ReturnType<typeof dingtalkTestApp>,
  body: string | object,
  headers = signedHeaders(settings.appSecret, NOW),
) {
  return request(app.callback)
    .post('/dingtalk/callback')
    .set('content-type', 'application/json')
    .set(headers)
    .send(typeof body === 'string' ? body : JSON.stringify(body));
}

describe('POST /dingtalk/callback', () => {
  const clock = new ManualClock(new Date(NOW));

  it('turns a signed one-to-one text message into one ChatEvent and answers {}', async () => {
    const app = dingtalkTestApp(settings, { clock });
    const res = await post(app, textMessage());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    expect(app.events).toEqual([
      {
        id: 'dingtalk:msg:msgABC123',
        platform: 'dingtalk',
        userId: 'zhangsan',
        at: new Date(NOW - 1000),
        kind: 'text',
        text: '8',
        // The session webhook rides on the event, so its replies can use it.
        replyTo: {
          url: 'https://oapi.dingtalk.com/robot/sendBySession?session=x',
          expiresAt: new Date(NOW + HOUR),
        },
      },
    ]);
  });

  it('leaves replyTo out when the message carries no usable session webhook', async () => {
    const app = dingtalkTestApp(settings, { clock });
    await post(app, textMessage({ msgId: 'no-webhook', sessionWebhook: undefined }));
    await post(app, textMessage({ msgId: 'no-expiry', sessionWebhookExpiredTime: 'soon' }));
    expect(app.events).toHaveLength(2);
    expect(app.events.map((e) => e.replyTo)).toEqual([undefined, undefined]);
  });

  it('acknowledges only after onEvent has resolved, and fails when it fails', async () => {
    const app = dingtalkTestApp(settings, {
      clock,
      onEvent: async () => {
        throw new Error('database down');
      },
    });
    expect((await post(app, textMessage())).status).toBe(500);
  });

  it.each([
    ['a forged sign', { ...signedHeaders('other-secret', NOW) }],
    [
      'a sign for another timestamp',
      { ...signedHeaders(settings.appSecret, NOW), timestamp: String(NOW + 1) },
    ],
    ['a stale timestamp (over 1 h old)', signedHeaders(settings.appSecret, NOW - HOUR - 1000)],
    ['a timestamp over 1 h ahead', signedHeaders(settings.appSecret, NOW + HOUR + 1000)],
    ['a timestamp in seconds', signedHeaders(settings.appSecret, Math.floor(NOW / 1000))],
    ['no sign', { timestamp: String(NOW) }],
    ['no headers', {}],
  ])('refuses %s with 401 and hands nothing on', async (_name, headers) => {
    const app = dingtalkTestApp(settings, { clock });
    const res = await post(app, textMessage(), headers as Record<string, string>);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'bad_signature' });
    expect(app.events).toHaveLength(0);
  });

  it('refuses a signed but broken JSON body with 400', async () => {
    const app = dingtalkTestApp(settings, { clock });
    const res = await post(app, '{"msgtype": "text",');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'bad_payload' });
    expect(app.events).toHaveLength(0);
  });

  it('refuses JSON that is not an object, and a text message without msgId', async () => {
    const app = dingtalkTestApp(settings, { clock });
    expect((await post(app, '[1,2]')).status).toBe(400);
    expect((await post(app, textMessage({ msgId: undefined }))).status).toBe(400);
    expect(app.events).toHaveLength(0);
  });

  it('refuses a body over 64 KB with 413', async () => {
    const app = dingtalkTestApp(settings, { clock });
    const res = await post(app, textMessage({ text: { content: 'x'.repeat(70 * 1024) } }));
    expect(res.status).toBe(413);
    expect(app.events).toHaveLength(0);
  });

  it('checks the signature before reading the body', async () => {
    const app = dingtalkTestApp(settings, { clock });
    const res = await post(app, 'not json', signedHeaders('forged', NOW));
    expect(res.status).toBe(401);
  });

  it.each([
    ['a group message', { conversationType: '2', conversationTitle: '客服一组' }],
    ['a picture', { msgtype: 'picture', text: undefined, content: { downloadCode: 'x' } }],
    ['a sender outside the company (no staff id)', { senderStaffId: undefined }],
  ])('answers %s with 200 and no event', async (_name, overrides) => {
    const app = dingtalkTestApp(settings, { clock });
    const res = await post(app, textMessage(overrides));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    expect(app.events).toHaveLength(0);
  });
});
