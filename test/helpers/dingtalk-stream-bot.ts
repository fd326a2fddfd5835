/**
 * The bot on DingTalk in Stream mode, with a card template, against the fake
 * API and gateway behind one front (as DingTalk serves both from its own
 * hosts); 陈静 (chenjing) is moved onto DingTalk. Started, connected to the
 * gateway, and stopped with everything it started.
 */
import { testDingtalkSettings } from '../channels/dingtalk/dingtalk-test-app';
import { startFakeDingtalk, type FakeDingtalk } from '../fakes/fake-dingtalk';
import { startFakeDingtalkStream, type FakeDingtalkStream } from '../fakes/fake-dingtalk-stream';
import { BotHarness } from './bot-harness';
import { startDingtalkFront, type DingtalkFront } from './dingtalk-front';

export interface DingtalkStreamBot {
  h: BotHarness;
  api: FakeDingtalk;
  gateway: FakeDingtalkStream;
  front: DingtalkFront;
  stop(): Promise<void>;
}

/** Starts it; `env` adds to (or overrides) the DingTalk variables. */
export async function startDingtalkStreamBot(
  env: Record<string, string> = {},
): Promise<DingtalkStreamBot> {
  const settings = testDingtalkSettings();
  // The SDK prints its own connection lines to the console.
  jest.spyOn(console, 'info').mockImplementation(() => undefined);
  const api = await startFakeDingtalk({ appKey: settings.appKey, appSecret: settings.appSecret });
  const gateway = await startFakeDingtalkStream({
    clientId: settings.appKey,
    clientSecret: settings.appSecret,
  });
  const front = await startDingtalkFront(api, gateway);
  const h = await BotHarness.start({
    DINGTALK_APP_KEY: settings.appKey,
    DINGTALK_APP_SECRET: settings.appSecret,
    DINGTALK_ROBOT_CODE: settings.robotCode,
    DINGTALK_MODE: 'stream',
    DINGTALK_CARD_TEMPLATE_ID: 'tpl-kaohe-score',
    DINGTALK_API_BASE: front.base,
    ...env,
  });
  await h.models.people.updateOne({ userid: 'chenjing' }, { $set: { platform: 'dingtalk' } });
  await h.kaohe.start();
  await gateway.waitForConnections(1);
  return {
    h,
    api,
    gateway,
    front,
    stop: async () => {
      await h.stop();
      await gateway.stop();
      await api.stop();
      await front.close();
    },
  };
}
