/**
 * DingTalk in Stream mode, through the whole bot: a message pushed down the
 * stream is stored, acknowledged and answered through DingTalk's API. The
 * gateway and the API are fakes on 127.0.0.1 behind one base URL, as DingTalk
 * serves both from api.dingtalk.com.
 */
import { BotHarness } from '../helpers/bot-harness';
import type { FakeDingtalk } from '../fakes/fake-dingtalk';
import type { FakeDingtalkStream } from '../fakes/fake-dingtalk-stream';
import { until, type DingtalkFront } from '../helpers/dingtalk-front';
import { startDingtalkStreamBot, type DingtalkStreamBot } from '../helpers/dingtalk-stream-bot';

let h: BotHarness;
let api: FakeDingtalk;
let gateway: FakeDingtalkStream;
let front: DingtalkFront;
let base: string;

let world: DingtalkStreamBot;

beforeAll(async () => {
  world = await startDingtalkStreamBot();
  ({ h, api, gateway, front } = world);
  base = front.base;
});
afterAll(async () => {
  await world.stop();
});

it('takes a message from the stream, acknowledges it once stored, and answers through the API', async () => {
  const messageId = gateway.pushRobotMessage({
    msgtype: 'text',
    text: { content: '/self' },
    msgId: 'stream-msg-1',
    conversationType: '1',
    senderStaffId: 'chenjing',
    createAt: Date.now(),
  });
  await gateway.waitForAck(messageId);
  expect(await h.models.inbox.countDocuments({ key: 'dingtalk:msg:stream-msg-1' })).toBe(1);
  // The bot is started (the stream needs it), so its own pollers handle and send; wait for them.
  await until(() => api.cards.length === 1);
  // With a card template configured, the first criterion comes as an interactive card.
  expect(api.cards).toHaveLength(1);
  const card = api.cards[0]!;
  expect(card).toMatchObject({
    cardTemplateId: 'tpl-kaohe-score',
    openSpaceId: 'dtv1.card//IM_ROBOT.chenjing',
  });
  const params = (card.cardData as { cardParamMap: Record<string, string> }).cardParamMap;
  expect(params.title).toBe('1/11 是否文明用语，积极、主动、热情地为业主服务');
  expect(JSON.parse(params.options!)).toHaveLength(11);
});

/** What a tap's ack asks DingTalk to show on the tapped card. */
function ackedParams(ack: { data: unknown }): Record<string, string> {
  const response = (ack.data as { response: Record<string, unknown> }).response;
  expect(response.cardUpdateOptions).toEqual({
    updateCardDataByKey: true,
    updatePrivateDataByKey: true,
  });
  return (response.cardData as { cardParamMap: Record<string, string> }).cardParamMap;
}

/** 陈静 picks `choice` on the card `outTrackId` shows, pressing its submit button (`submitKey`). */
function tap(outTrackId: string, submitKey: string, choice: string): string {
  return gateway.pushCardCallback({
    outTrackId,
    userId: 'chenjing',
    content: JSON.stringify({
      cardPrivateData: { actionIds: [submitKey], params: { questionKey: 'score', choice } },
    }),
  });
}

it('answers a tap in the ack itself: the tapped card becomes the next criterion, no card PUT or new card', async () => {
  const first = api.cards[0] as {
    outTrackId: string;
    cardData: { cardParamMap: Record<string, string> };
  };
  const ack = await gateway.waitForAck(
    tap(first.outTrackId, first.cardData.cardParamMap.submitKey!, '8'),
  );
  const next = ackedParams(ack);
  expect(next.title).toMatch(/^2\/11 /);
  expect(next.done).toBe('false');
  expect(JSON.parse(next.options!).length).toBeGreaterThan(1);
  // Every value is a string, as DingTalk wants them.
  expect(Object.values(next).every((v) => typeof v === 'string')).toBe(true);
  await h.kaohe.settle();
  expect((await h.kaohe.assessments.get('2024-05', 'chenjing'))?.self.scores.get('1')).toBe(8);
  // What the tap left for the API was stored before the ack: no card update, no new card.
  expect(await h.models.outbox.countDocuments({ 'payload.kind': 'update' })).toBe(0);
  expect(await h.models.outbox.countDocuments({ key: /^evt:dingtalk:card:/ })).toBe(0);
  expect(api.cardUpdates).toHaveLength(0);
  expect(api.requests.filter((r) => r.path === '/v1.0/card/instances')).toHaveLength(0);
  expect(api.cards).toHaveLength(1);

  // The replaced card's taps name its step, so the same card now answers criterion 2.
  const again = await gateway.waitForAck(tap(first.outTrackId, next.submitKey!, '7'));
  expect(ackedParams(again).title).toMatch(/^3\/11 /);
  await h.kaohe.settle();
  expect((await h.kaohe.assessments.get('2024-05', 'chenjing'))?.self.scores.get('2')).toBe(7);
  expect(api.cardUpdates).toHaveLength(0);
  expect(api.cards).toHaveLength(1);
});

it('handles a message DingTalk pushes twice (a re-send after a lost ack) once', async () => {
  const message = {
    msgtype: 'text',
    text: { content: '/status' },
    msgId: 'stream-msg-twice',
    conversationType: '1',
    senderStaffId: 'chenjing',
    createAt: Date.now(),
  };
  const before = api.sent.length;
  await gateway.waitForAck(gateway.pushRobotMessage(message));
  await gateway.waitForAck(gateway.pushRobotMessage(message));
  await until(() => api.sent.length > before);
  await new Promise((r) => setTimeout(r, 200)); // time for a second answer, were there one
  expect(await h.models.inbox.countDocuments({ key: 'dingtalk:msg:stream-msg-twice' })).toBe(1);
  expect(api.sent.length - before).toBe(1);
  expect(JSON.stringify(api.sent.at(-1)!.msgParam)).toContain('我的自评');
});

/** A typed message as DingTalk pushes it, with a session webhook valid until `expiresAt`. */
function typed(content: string, msgId: string, session: string, expiresAt: Date) {
  return gateway.pushRobotMessage({
    msgtype: 'text',
    text: { content },
    msgId,
    conversationType: '1',
    senderStaffId: 'chenjing',
    createAt: Date.now(),
    // DingTalk's webhook lives on its old API host; here the one base URL serves both.
    sessionWebhook: `${base}/robot/sendBySession?session=${session}`,
    sessionWebhookExpiredTime: expiresAt.getTime(),
  });
}

it('answers a typed message through its session webhook, not batchSend', async () => {
  const sentBefore = api.sent.length;
  const later = new Date(h.clock.now().getTime() + 90 * 60_000);
  await gateway.waitForAck(typed('/status', 'stream-msg-session', 'live-1', later));
  // The bot's own pollers handle and send; wait for them.
  await until(() => api.sessionSent.length > 0);
  await h.kaohe.settle();
  expect(api.sent.length).toBe(sentBefore);
  expect(api.sessionSent).toHaveLength(1);
  const { session, body } = api.sessionSent[0]!;
  expect(session).toBe('live-1');
  expect(body.msgtype).toBe('text');
  expect((body.text as { content: string }).content).toContain('我的自评');
  // The webhook is the event's only: nothing stored for later messages keeps it.
  const kept = await h.models.outbox.countDocuments({ replyTo: { $exists: true } });
  const ofEvent = await h.models.outbox.countDocuments({
    key: /^evt:dingtalk:msg:stream-msg-session:/,
  });
  expect(kept).toBe(ofEvent);
});

it('falls back to batchSend once the session webhook has expired', async () => {
  const sentBefore = api.sent.length;
  const sessionBefore = api.sessionSent.length;
  const gone = new Date(h.clock.now().getTime() - 1000);
  await gateway.waitForAck(typed('/status', 'stream-msg-expired', 'dead-1', gone));
  await until(() => api.sent.length > sentBefore);
  await h.kaohe.settle();
  expect(api.sessionSent.length).toBe(sessionBefore);
  expect(api.sent.length).toBe(sentBefore + 1);
  expect(JSON.stringify(api.sent.at(-1)!.msgParam)).toContain('我的自评');
});
