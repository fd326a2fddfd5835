import { scoreCard } from '../../fixtures/choice-card';
import {
  cardRequest,
  cardUpdateRequest,
  toCardAction,
  toCardEvent,
} from '../../../src/channels/dingtalk/cards';
import { DingtalkClient } from '../../../src/channels/dingtalk/client';
import { DingtalkMessenger } from '../../../src/channels/dingtalk/messenger';
import {
  startDingtalkStream,
  type DingtalkStream,
} from '../../../src/channels/dingtalk/stream-receiver';
import type { ChatEvent } from '../../../src/channels/types';
import { silentLogger } from '../../../src/lib/logger';
import { MemoryStateStore } from '../../../src/state/memory-state-store';
import { startFakeDingtalk, type FakeDingtalk } from '../../fakes/fake-dingtalk';
import { startFakeDingtalkStream, type FakeDingtalkStream } from '../../fakes/fake-dingtalk-stream';
import { testDingtalkSettings } from './dingtalk-test-app';

const TEMPLATE = 'tpl-choice-1.schema';
const settings = testDingtalkSettings();

const card = scoreCard;

// The callback DingTalk sends on a tap, as the Python SDK's CardCallbackMessage documents it.
const callback = (params: Record<string, unknown>, actionIds = ['submit']) => ({
  extension: '{}',
  corpId: 'dingcorp',
  spaceType: 'IM_ROBOT',
  userIdType: 1,
  type: 'actionCallback',
  userId: 'zhangsan',
  content: JSON.stringify({ cardPrivateData: { actionIds, params } }),
  spaceId: '',
  outTrackId: card.cardId,
  value: JSON.stringify({ cardPrivateData: { actionIds, params } }),
});

describe('cardRequest', () => {
  it('builds the createAndDeliver body for a ChoiceCard with 11 options, all params strings', () => {
    const body = cardRequest(card, 'zhangsan', { ...settings, cardTemplateId: TEMPLATE });
    expect(body).toEqual({
      cardTemplateId: TEMPLATE,
      outTrackId: card.cardId,
      callbackType: 'STREAM',
      cardData: {
        cardParamMap: {
          title: card.title,
          description: card.description,
          options: JSON.stringify(card.options),
          selected: '8',
          questionKey: 'c3',
          submitKey: 'submit',
          submitLabel: '确定',
          done: 'false',
          doneLabel: '',
        },
      },
      openSpaceId: 'dtv1.card//IM_ROBOT.zhangsan',
      imRobotOpenDeliverModel: { spaceType: 'IM_ROBOT', robotCode: settings.robotCode },
    });
    const params = (body.cardData as { cardParamMap: Record<string, unknown> }).cardParamMap;
    expect(Object.values(params).every((value) => typeof value === 'string')).toBe(true);
    const options = JSON.parse(String(params.options)) as { id: string; label: string }[];
    expect(options).toHaveLength(11);
    expect(options[10]).toEqual({ id: '10', label: '10 分' });
  });

  it('sends an empty selected when nothing was chosen before', () => {
    const body = cardRequest({ ...card, selected: undefined }, 'lisi', {
      robotCode: 'bot',
      cardTemplateId: TEMPLATE,
    });
    expect(body).toMatchObject({
      openSpaceId: 'dtv1.card//IM_ROBOT.lisi',
      cardData: { cardParamMap: { selected: '' } },
    });
  });
});

describe('cardUpdateRequest', () => {
  it('marks the card done with its label, by outTrackId', () => {
    expect(
      cardUpdateRequest({ cardId: card.cardId, updateToken: card.cardId, doneLabel: '已选 8 分' }),
    ).toEqual({
      outTrackId: card.cardId,
      cardData: { cardParamMap: { doneLabel: '已选 8 分', done: 'true' } },
    });
  });
});

describe('toCardAction', () => {
  it('reads the action id, question key and choice', () => {
    const data = JSON.stringify(callback({ questionKey: 'c3', choice: '9' }));
    expect(toCardAction(data)).toEqual({
      userId: 'zhangsan',
      action: {
        cardId: card.cardId,
        key: 'submit',
        selections: { c3: ['9'] },
        updateToken: card.cardId,
      },
    });
  });

  it('falls back to `selected`, numbers, the score key and the submit key', () => {
    const data = JSON.stringify(callback({ selected: 7 }, []));
    expect(toCardAction(data)?.action).toEqual({
      cardId: card.cardId,
      key: 'submit',
      selections: { score: ['7'] },
      updateToken: card.cardId,
    });
  });

  it('reads a select component that reports {value}', () => {
    const data = JSON.stringify(callback({ questionKey: 'c3', choice: { index: 4, value: '4' } }));
    expect(toCardAction(data)?.action.selections).toEqual({ c3: ['4'] });
  });

  it('reports no selection for a button without a choice', () => {
    const data = JSON.stringify(callback({}, ['back']));
    expect(toCardAction(data)?.action).toMatchObject({ key: 'back', selections: {} });
  });

  it('returns null for what is not a card callback', () => {
    expect(toCardAction('not json')).toBeNull();
    expect(toCardAction(JSON.stringify({ userId: 'zhangsan', content: '{}' }))).toBeNull();
    expect(toCardAction(JSON.stringify({ ...callback({}), content: 'oops' }))).toBeNull();
    expect(toCardAction(JSON.stringify({ ...callback({}), content: '{}' }))).toBeNull();
  });

  it('gives the same event id to a re-delivery and another to a different choice', () => {
    const now = new Date();
    const a = toCardEvent(JSON.stringify(callback({ choice: '9' })), now);
    const b = toCardEvent(JSON.stringify(callback({ choice: '9' })), now);
    const c = toCardEvent(JSON.stringify(callback({ choice: '8' })), now);
    expect(a?.id).toMatch(/^dingtalk:card:[0-9a-f]{32}$/);
    expect(b?.id).toBe(a?.id);
    expect(c?.id).not.toBe(a?.id);
  });
});

describe('DingtalkMessenger with cards', () => {
  let fake: FakeDingtalk;
  let client: DingtalkClient;

  beforeEach(async () => {
    fake = await startFakeDingtalk();
    client = new DingtalkClient({
      settings: testDingtalkSettings({ apiBase: fake.apiBase }),
      state: new MemoryStateStore(),
      logger: silentLogger,
    });
  });
  afterEach(() => fake.stop());

  it('with a template id sends a ChoiceCard through createAndDeliver and updates it', async () => {
    const messenger = new DingtalkMessenger(client, { cardTemplateId: TEMPLATE });
    await messenger.send('zhangsan', card);
    expect(fake.sent).toEqual([]);
    expect(fake.cards).toEqual([
      cardRequest(card, 'zhangsan', { ...settings, cardTemplateId: TEMPLATE }),
    ]);
    const request = fake.requests.find((r) => r.path === '/v1.0/card/instances/createAndDeliver');
    expect(request?.token).toMatch(/^fake-dt-token-/);

    await messenger.updateCard('zhangsan', {
      cardId: card.cardId,
      updateToken: card.cardId,
      doneLabel: '已选 8 分',
    });
    expect(fake.cardUpdates).toEqual([
      {
        outTrackId: card.cardId,
        cardData: { cardParamMap: { doneLabel: '已选 8 分', done: 'true' } },
      },
    ]);
  });

  it('with a template id still sends text as a robot message', async () => {
    const messenger = new DingtalkMessenger(client, { cardTemplateId: TEMPLATE });
    await messenger.send('zhangsan', { type: 'text', text: '你好' });
    expect(fake.sent).toHaveLength(1);
    expect(fake.cards).toEqual([]);
  });

  it('retries the card with a fresh token when the cached one is refused', async () => {
    const messenger = new DingtalkMessenger(client, { cardTemplateId: TEMPLATE });
    await messenger.send('zhangsan', { type: 'text', text: '你好' });
    fake.expireTokens();
    await messenger.send('zhangsan', card);
    expect(fake.cards).toHaveLength(1);
    expect(fake.tokenCalls()).toBe(2);
  });

  it('without a template id sends markdown and leaves updateCard a no-op', async () => {
    const messenger = new DingtalkMessenger(client);
    await messenger.send('zhangsan', card);
    await messenger.updateCard('zhangsan', {
      cardId: card.cardId,
      updateToken: card.cardId,
      doneLabel: '已选 8 分',
    });
    expect(fake.cards).toEqual([]);
    expect(fake.cardUpdates).toEqual([]);
    expect(fake.sent).toEqual([
      expect.objectContaining({ msgKey: 'sampleMarkdown', userIds: ['zhangsan'] }),
    ]);
  });
});

describe('card callbacks over the stream', () => {
  let fake: FakeDingtalkStream;
  let stream: DingtalkStream | undefined;

  beforeEach(async () => {
    jest.spyOn(console, 'info').mockImplementation(() => undefined);
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    fake = await startFakeDingtalkStream({
      clientId: settings.appKey,
      clientSecret: settings.appSecret,
    });
  });

  afterEach(async () => {
    await stream?.stop();
    stream = undefined;
    await fake.stop();
    jest.restoreAllMocks();
  });

  const start = async (onEvent: (event: ChatEvent) => Promise<void>) => {
    stream = await startDingtalkStream({
      settings,
      onEvent,
      logger: silentLogger,
      endpoint: fake.endpoint,
    });
    await fake.waitForConnections(1);
  };

  it('subscribes to the card topic', async () => {
    await start(async () => undefined);
    expect(fake.opens[0]?.subscriptions).toEqual(
      expect.arrayContaining([{ type: 'CALLBACK', topic: '/v1.0/card/instances/callback' }]),
    );
  });

  it('turns a tap into an action ChatEvent and acknowledges it only after onEvent', async () => {
    const events: ChatEvent[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    await start(async (event) => {
      events.push(event);
      await gate;
    });

    const messageId = fake.pushCardCallback(callback({ questionKey: 'c3', choice: '9' }));
    const deadline = Date.now() + 5000;
    while (events.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      platform: 'dingtalk',
      userId: 'zhangsan',
      kind: 'action',
      action: {
        cardId: card.cardId,
        key: 'submit',
        selections: { c3: ['9'] },
        updateToken: card.cardId,
      },
    });
    expect(events[0]?.id).toMatch(/^dingtalk:card:/);
    expect(events[0]?.at).toBeInstanceOf(Date);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fake.acks.find((ack) => ack.messageId === messageId)).toBeUndefined();

    release();
    const ack = await fake.waitForAck(messageId);
    expect(ack.data).toEqual({ response: {} });
  });

  it('leaves a tap unacknowledged when it could not be stored', async () => {
    await start(async () => {
      throw new Error('disk full');
    });
    const messageId = fake.pushCardCallback(callback({ choice: '9' }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fake.acks.find((ack) => ack.messageId === messageId)).toBeUndefined();
  });

  it('acknowledges and drops an unreadable card callback', async () => {
    const events: ChatEvent[] = [];
    await start(async (event) => void events.push(event));
    const messageId = fake.pushCardCallback({ outTrackId: card.cardId, content: 'x' });
    await fake.waitForAck(messageId);
    expect(events).toEqual([]);
  });
});
