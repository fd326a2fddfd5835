/**
 * How many DingTalk API messages one self-assessment costs when it is tapped
 * (Stream mode, with a card template). With inline replies every tap is
 * answered in its own ack, which turns the tapped card into the next step;
 * without them (DINGTALK_INLINE_REPLIES=off) each tap costs a card PUT and a
 * new card, for comparison.
 */
import { BotHarness } from '../helpers/bot-harness';
import type { FakeDingtalk } from '../fakes/fake-dingtalk';
import type { FakeDingtalkStream } from '../fakes/fake-dingtalk-stream';
import { until, type DingtalkFront } from '../helpers/dingtalk-front';
import { startDingtalkStreamBot, type DingtalkStreamBot } from '../helpers/dingtalk-stream-bot';

type Params = Record<string, string>;
/** The card 陈静 sees: which card it is and what it shows. */
type Shown = { outTrackId: string; params: Params };

describe.each([
  ['on', { createAndDeliver: 1, cardPut: 0, batchSend: 0, sessionWebhook: 1 }],
  // Off: each criterion a new card, the summary a card of its own (提交 / 修改).
  ['off', { createAndDeliver: 12, cardPut: 11, batchSend: 0, sessionWebhook: 1 }],
])('DINGTALK_INLINE_REPLIES=%s', (inline, expected) => {
  let h: BotHarness;
  let api: FakeDingtalk;
  let gateway: FakeDingtalkStream;
  let front: DingtalkFront;

  let world: DingtalkStreamBot;

  beforeAll(async () => {
    world = await startDingtalkStreamBot({ DINGTALK_INLINE_REPLIES: inline });
    ({ h, api, gateway, front } = world);
  });
  afterAll(async () => {
    await world.stop();
  });

  // Everything received was handled and sent: what an ack leaves is stored before the ack.
  const quiet = async () =>
    !(await h.models.inbox.exists({ status: { $in: ['pending', 'processing'] } })) &&
    (await h.kaohe.outbox.pendingCount()) === 0;

  const lastCard = (): Shown => {
    const card = api.cards.at(-1) as { outTrackId: string; cardData: { cardParamMap: Params } };
    return { outTrackId: card.outTrackId, params: card.cardData.cardParamMap };
  };

  /** 陈静 picks a score on the card, as the template reports it; returns the card she sees next. */
  async function tap({ outTrackId, params }: Shown, choice: string): Promise<Shown> {
    h.clock.advance(3000);
    const messageId = gateway.pushCardCallback({
      outTrackId,
      userId: 'chenjing',
      content: JSON.stringify({
        cardPrivateData: {
          actionIds: [params.submitKey],
          params: { questionKey: params.questionKey, choice },
        },
      }),
    });
    const ack = await gateway.waitForAck(messageId);
    await until(quiet);
    const response = (ack.data as { response: { cardData?: { cardParamMap: Params } } }).response;
    // Answered in the ack: the same card shows the next step; otherwise a new card came.
    return response.cardData ? { outTrackId, params: response.cardData.cardParamMap } : lastCard();
  }

  /** 陈静 types; the message carries a session webhook on the one base URL, as DingTalk's would. */
  async function say(content: string, msgId: string): Promise<void> {
    h.clock.advance(3000);
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
    await until(quiet);
  }

  /** DingTalk API calls that carry a message, by kind. */
  function messageCalls(): Record<string, number> {
    const count = (path: string) => api.requests.filter((r) => r.path === path).length;
    return {
      createAndDeliver: count('/v1.0/card/instances/createAndDeliver'),
      cardPut: count('/v1.0/card/instances'),
      batchSend: count('/v1.0/robot/oToMessages/batchSend'),
      sessionWebhook: count('/robot/sendBySession'),
    };
  }

  it('fills the self-assessment by taps, then /submit', async () => {
    await say('/self', 'tapped-self');
    let card = lastCard();
    for (let no = 1; no <= 11; no += 1) {
      expect(card.params.title).toMatch(new RegExp(`^${no}/11 `));
      card = await tap(card, no === 6 || no === 9 ? '4' : '8');
    }
    // The summary asks for /submit (it comes as text, on the locked card or as a message).
    await say('/submit', 'tapped-submit');
    const doc = await h.kaohe.assessments.get('2024-05', 'chenjing');
    expect(doc?.self.status).toBe('submitted');
    expect(doc?.self.scores.get('11')).toBe(8);
    const calls = messageCalls();
    // The figures for the report: one form tapped on DingTalk.
    console.log(`tapped self-assessment, inline ${inline}: ${JSON.stringify(calls)}`);
    expect(calls).toEqual(expected);
  });
});
