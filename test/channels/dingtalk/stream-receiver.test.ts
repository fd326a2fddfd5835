import { silentLogger } from '../../../src/lib/logger';
import type { ChatEvent, InlineReply } from '../../../src/channels/types';
import {
  startDingtalkStream,
  type DingtalkStream,
} from '../../../src/channels/dingtalk/stream-receiver';
import { startFakeDingtalkStream, type FakeDingtalkStream } from '../../fakes/fake-dingtalk-stream';
import { testDingtalkSettings } from './dingtalk-test-app';

const settings = testDingtalkSettings();
const NOW = Date.parse('2024-05-31T09:00:00+08:00');

// The same JSON DingTalk posts in HTTP mode, carried as the frame's `data`.
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
  ...overrides,
});

async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('startDingtalkStream', () => {
  let fake: FakeDingtalkStream;
  let stream: DingtalkStream | undefined;
  let events: ChatEvent[];
  let onEvent: (event: ChatEvent) => Promise<InlineReply | null | void>;

  beforeEach(async () => {
    // The SDK prints "connect success" / "Disconnecting." / socket errors to the console.
    jest.spyOn(console, 'info').mockImplementation(() => undefined);
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    fake = await startFakeDingtalkStream({
      clientId: settings.appKey,
      clientSecret: settings.appSecret,
    });
    events = [];
    onEvent = async (event) => {
      events.push(event);
    };
  });

  afterEach(async () => {
    await stream?.stop();
    stream = undefined;
    await fake.stop();
    jest.restoreAllMocks();
  });

  const start = async (healthCheckMs?: number) => {
    stream = await startDingtalkStream({
      settings,
      onEvent: (event) => onEvent(event),
      logger: silentLogger,
      endpoint: fake.endpoint,
      healthCheckMs,
    });
    await fake.waitForConnections(1);
  };

  it('opens the connection with the app credentials and the robot topic', async () => {
    await start();
    expect(fake.connectionOpenCalls()).toBe(1);
    expect(fake.opens[0]).toMatchObject({
      clientId: settings.appKey,
      clientSecret: settings.appSecret,
    });
    expect(fake.opens[0]?.subscriptions).toEqual(
      expect.arrayContaining([{ type: 'CALLBACK', topic: '/v1.0/im/bot/messages/get' }]),
    );
  });

  it('delivers a pushed robot message once as a ChatEvent and acknowledges its messageId', async () => {
    await start();
    const messageId = fake.pushRobotMessage(textMessage());
    const ack = await fake.waitForAck(messageId);
    expect(ack).toEqual({ messageId, code: 200, data: { response: {} } });
    expect(events).toEqual([
      {
        id: 'dingtalk:msg:msgABC123',
        platform: 'dingtalk',
        userId: 'zhangsan',
        at: new Date(NOW - 1000),
        kind: 'text',
        text: '8',
      },
    ]);
    await sleep(50);
    expect(events).toHaveLength(1);
    expect(fake.acks.filter((a) => a.messageId === messageId)).toHaveLength(1);
  });

  it('acknowledges only after onEvent has resolved', async () => {
    let release: () => void = () => undefined;
    onEvent = (event) =>
      new Promise<void>((resolve) => {
        events.push(event);
        release = resolve;
      });
    await start();
    const messageId = fake.pushRobotMessage(textMessage());
    await waitFor(() => events.length === 1, 'onEvent');
    await sleep(50);
    expect(fake.acks).toEqual([]);
    release();
    await fake.waitForAck(messageId);
  });

  it('answers a card tap in the ack with the reply onEvent resolves to; a text message gets an empty ack', async () => {
    onEvent = async (event) => ({
      type: 'label',
      cardId: event.action?.cardId ?? '',
      doneLabel: '已选 8 分',
    });
    await start();
    const tap = fake.pushCardCallback({
      outTrackId: 'k-card-1',
      userId: 'zhangsan',
      content: JSON.stringify({
        cardPrivateData: { actionIds: ['score'], params: { choice: '8' } },
      }),
    });
    const ack = await fake.waitForAck(tap);
    expect(ack.data).toEqual({
      response: {
        cardUpdateOptions: { updateCardDataByKey: true, updatePrivateDataByKey: true },
        cardData: { cardParamMap: { done: 'true', doneLabel: '已选 8 分' } },
        userPrivateData: { cardParamMap: { done: 'true', doneLabel: '已选 8 分' } },
      },
    });
    // DingTalk cannot show a reply in a robot message's ack; it goes out through the API.
    const typed = await fake.waitForAck(fake.pushRobotMessage(textMessage()));
    expect(typed.data).toEqual({ response: {} });
  });

  it('does not acknowledge a message whose onEvent throws', async () => {
    let calls = 0;
    onEvent = async () => {
      calls += 1;
      throw new Error('store down');
    };
    await start();
    const failed = fake.pushRobotMessage(textMessage({ msgId: 'msgFAIL' }));
    await waitFor(() => calls === 1, 'onEvent');
    // A later message that succeeds is acknowledged, the failed one still is not.
    onEvent = async (event) => {
      events.push(event);
    };
    const ok = fake.pushRobotMessage(textMessage({ msgId: 'msgOK' }));
    await fake.waitForAck(ok);
    expect(fake.acks.map((a) => a.messageId)).toEqual([ok]);
    expect(fake.acks.some((a) => a.messageId === failed)).toBe(false);
  });

  it('acknowledges and drops what the bot does not handle (group chat)', async () => {
    await start();
    const messageId = fake.pushRobotMessage(textMessage({ conversationType: '2' }));
    await fake.waitForAck(messageId);
    expect(events).toEqual([]);
  });

  it('survives an unreadable frame and acknowledges a malformed message without delivering it', async () => {
    await start();
    fake.pushRaw('not json {');
    const malformed = fake.pushRobotMessage(textMessage({ msgId: undefined }));
    await fake.waitForAck(malformed);
    const ok = fake.pushRobotMessage(textMessage({ msgId: 'msgFINE' }));
    await fake.waitForAck(ok);
    expect(events.map((e) => e.id)).toEqual(['dingtalk:msg:msgFINE']);
    expect(fake.connectionOpenCalls()).toBe(1);
  });

  it('reconnects after the gateway drops the connection and receives a new message', async () => {
    await start();
    fake.dropAll();
    await fake.waitForConnections(2, 8000);
    expect(fake.connectionOpenCalls()).toBe(2);
    const messageId = fake.pushRobotMessage(textMessage({ msgId: 'msgAFTER' }));
    await fake.waitForAck(messageId);
    expect(events.map((e) => e.id)).toEqual(['dingtalk:msg:msgAFTER']);
  });

  it('delivers the same message pushed twice twice, with the same event id', async () => {
    await start();
    const first = fake.pushRobotMessage(textMessage(), 'frame-1');
    await fake.waitForAck(first);
    const second = fake.pushRobotMessage(textMessage(), 'frame-2');
    await fake.waitForAck(second);
    expect(events).toHaveLength(2);
    expect(events.map((e) => e.id)).toEqual(['dingtalk:msg:msgABC123', 'dingtalk:msg:msgABC123']);
  });

  it('reconnects when the connection goes silent for healthCheckMs', async () => {
    await start(300);
    fake.goSilent();
    await fake.waitForConnections(2, 8000);
    expect(fake.connectionOpenCalls()).toBeGreaterThanOrEqual(2);
    const messageId = fake.pushRobotMessage(textMessage({ msgId: 'msgHEALTHY' }));
    await fake.waitForAck(messageId);
    expect(events.map((e) => e.id)).toContain('dingtalk:msg:msgHEALTHY');
  });

  it('stays connected while the link answers pings', async () => {
    await start(200);
    await sleep(700);
    expect(fake.connectionOpenCalls()).toBe(1);
    expect(fake.connectionCount()).toBe(1);
  });

  it('stop() closes the connection and does not reconnect', async () => {
    await start();
    await stream?.stop();
    stream = undefined;
    await waitFor(() => fake.connectionCount() === 0, 'close');
    await sleep(1300);
    expect(fake.connectionOpenCalls()).toBe(1);
  });
});
