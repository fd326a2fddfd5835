/**
 * How many DingTalk API messages one self-assessment costs when it is tapped
 * (Stream mode, with a card template): the first card is delivered through
 * the API, every tap is answered in its own ack, which turns the tapped card
 * into the next step.
 */
import { BotHarness } from '../helpers/bot-harness';
import { testDingtalkSettings } from '../channels/dingtalk/dingtalk-test-app';
import { startFakeDingtalk, type FakeDingtalk } from '../fakes/fake-dingtalk';
import { startFakeDingtalkStream, type FakeDingtalkStream } from '../fakes/fake-dingtalk-stream';
import { startDingtalkFront, until, type DingtalkFront } from '../helpers/dingtalk-front';

const settings = testDingtalkSettings();
let h: BotHarness;
let api: FakeDingtalk;
let gateway: FakeDingtalkStream;
let front: DingtalkFront;

beforeAll(async () => {
  // The SDK prints its own connection lines to the console.
  jest.spyOn(console, 'info').mockImplementation(() => undefined);
  api = await startFakeDingtalk({ appKey: settings.appKey, appSecret: settings.appSecret });
  gateway = await startFakeDingtalkStream({
    clientId: settings.appKey,
    clientSecret: settings.appSecret,
  });
  front = await startDingtalkFront(api, gateway);
  h = await BotHarness.start({
    DINGTALK_APP_KEY: settings.appKey,
    DINGTALK_APP_SECRET: settings.appSecret,
    DINGTALK_ROBOT_CODE: settings.robotCode,
    DINGTALK_MODE: 'stream',
    DINGTALK_CARD_TEMPLATE_ID: 'tpl-kaohe-score',
    DINGTALK_API_BASE: front.base,
  });
  await h.models.people.updateOne({ userid: 'chenjing' }, { $set: { platform: 'dingtalk' } });
  await h.kaohe.start();
  await gateway.waitForConnections(1);
});
afterAll(async () => {
  await h.stop();
  await gateway.stop();
  await api.stop();
  await front.close();
});

type Params = Record<string, string>;

/** 陈静 taps the card as its template would report it: a score, or a button's key. */
async function tap(outTrackId: string, card: Params, pick: string): Promise<Params | undefined> {
  h.clock.advance(3000);
  const options = JSON.parse(card.options!) as { id: string; label: string }[];
  const button = card.questionKey === '__button';
  const choice = button ? options.find((o) => o.label === pick)!.id : pick;
  const messageId = gateway.pushCardCallback({
    outTrackId,
    userId: 'chenjing',
    content: JSON.stringify({
      cardPrivateData: {
        actionIds: [card.submitKey],
        params: { questionKey: card.questionKey, choice },
      },
    }),
  });
  const ack = await gateway.waitForAck(messageId);
  const response = (ack.data as { response: { cardData?: { cardParamMap: Params } } }).response;
  return response.cardData?.cardParamMap;
}

/** DingTalk API calls that carry a message, by kind. */
function messageCalls(): Record<string, number> {
  const count = (path: string) => api.requests.filter((r) => r.path === path).length;
  return {
    batchSend: count('/v1.0/robot/oToMessages/batchSend'),
    sessionWebhook: count('/robot/sendBySession'),
    createAndDeliver: count('/v1.0/card/instances/createAndDeliver'),
    cardPut: count('/v1.0/card/instances'),
  };
}

/** 陈静 types; the message carries a session webhook on the one base URL, as DingTalk's would. */
async function say(content: string, msgId: string): Promise<void> {
  await gateway.waitForAck(
    gateway.pushRobotMessage({
      msgtype: 'text',
      text: { content },
      msgId,
      conversationType: '1',
      senderStaffId: 'chenjing',
      createAt: Date.now(),
      sessionWebhook: `${front.base}/robot/sendBySession?session=${msgId}`,
      sessionWebhookExpiredTime: h.clock.now().getTime() + 90 * 60_000,
    }),
  );
  // The ack says it is stored; the bot's own pollers handle it.
  const key = `dingtalk:msg:${msgId}`;
  await until(async () => Boolean(await h.models.inbox.exists({ key, status: 'done' })));
}

it('a tapped self-assessment costs one card delivery; every tap is answered in its ack', async () => {
  await say('/self', 'tapped-self');
  await until(() => api.cards.length === 1);
  const outTrackId = (api.cards[0] as { outTrackId: string }).outTrackId;
  let card = (api.cards[0]!.cardData as { cardParamMap: Params }).cardParamMap;
  for (let no = 1; no <= 11; no += 1) {
    expect(card.title).toMatch(new RegExp(`^${no}/11 `));
    const next = await tap(outTrackId, card, no === 6 || no === 9 ? '4' : '8');
    expect(next).toBeDefined();
    card = next!;
  }
  // The last tap locks the card and shows the summary, which asks for /submit or a 提交 button.
  expect(card.description).toContain('合计:80 分');
  if (card.done === 'true') await say('/submit', 'tapped-submit');
  else expect((await tap(outTrackId, card, '提交'))?.done).toBe('true');
  await until(async () => (await h.kaohe.outbox.pendingCount()) === 0);
  const doc = await h.kaohe.assessments.get('2024-05', 'chenjing');
  expect(doc?.self.status).toBe('submitted');
  const calls = messageCalls();
  // The figures for the report: one form tapped on DingTalk.
  console.log(`tapped self-assessment on DingTalk: ${JSON.stringify(calls)}`);
  expect(calls.createAndDeliver).toBe(1);
  expect(calls.cardPut).toBe(0);
  expect(calls.batchSend).toBe(0);
});
