/**
 * How many DingTalk API messages one self-assessment costs when it is typed
 * (HTTP mode, no card template): every reply to a typed message goes through
 * that message's session webhook, none through batchSend.
 */
import request from 'supertest';
import { BotHarness } from '../helpers/bot-harness';
import { signedHeaders, testDingtalkSettings } from '../channels/dingtalk/dingtalk-test-app';
import { startFakeDingtalk, type FakeDingtalk } from '../fakes/fake-dingtalk';

let h: BotHarness;
let ding: FakeDingtalk;
const settings = testDingtalkSettings();
let msgId = 0;

beforeAll(async () => {
  ding = await startFakeDingtalk({ appKey: settings.appKey, appSecret: settings.appSecret });
  h = await BotHarness.start({
    DINGTALK_APP_KEY: settings.appKey,
    DINGTALK_APP_SECRET: settings.appSecret,
    DINGTALK_ROBOT_CODE: settings.robotCode,
    DINGTALK_MODE: 'http',
    DINGTALK_API_BASE: ding.apiBase,
  });
  await h.models.people.updateOne({ userid: 'chenjing' }, { $set: { platform: 'dingtalk' } });
});
afterAll(async () => {
  await h.stop();
  await ding.stop();
});

/** 陈静 types in DingTalk; the callback carries a session webhook valid for 90 minutes. */
async function dingSay(content: string): Promise<void> {
  h.clock.advance(3000);
  const id = `typed-${++msgId}`;
  const body = {
    msgtype: 'text',
    text: { content },
    msgId: id,
    conversationType: '1',
    senderStaffId: 'chenjing',
    createAt: Date.now(),
    sessionWebhook: ding.sessionWebhook(`session-${id}`),
    sessionWebhookExpiredTime: h.clock.now().getTime() + 90 * 60_000,
  };
  const answer = await request(h.app.callback())
    .post('/dingtalk/callback')
    .set(signedHeaders(settings.appSecret, Date.now()))
    .send(body);
  expect(answer.status).toBe(200);
  await h.kaohe.settle();
}

/** DingTalk API calls that carry a message, by kind. */
function messageCalls() {
  const count = (path: string) => ding.requests.filter((r) => r.path === path).length;
  return {
    batchSend: count('/v1.0/robot/oToMessages/batchSend'),
    sessionWebhook: count('/robot/sendBySession'),
    createAndDeliver: count('/v1.0/card/instances/createAndDeliver'),
    cardPut: count('/v1.0/card/instances'),
  };
}

it('a typed self-assessment is answered through the session webhooks only', async () => {
  await dingSay('/self');
  for (let no = 1; no <= 11; no += 1) await dingSay(no === 6 || no === 9 ? '4' : '8');
  await dingSay('/submit');
  const doc = await h.kaohe.assessments.get('2024-05', 'chenjing');
  expect(doc?.self.status).toBe('submitted');
  const calls = messageCalls();
  // The figures for the report: one form typed on DingTalk.
  console.log(`typed self-assessment on DingTalk: ${JSON.stringify(calls)}`);
  expect(calls.batchSend).toBe(0);
  expect(calls.createAndDeliver + calls.cardPut).toBe(0);
  // Each of the 13 messages gets one answer, through its own webhook.
  expect(calls.sessionWebhook).toBe(13);
  const sessions = new Set(ding.sessionSent.map((s) => s.session));
  expect(sessions.size).toBe(13);
  const last = ding.sessionSent.at(-1)!.body as { text?: { content: string } };
  expect(last.text?.content).toContain('已提交自评');
});
