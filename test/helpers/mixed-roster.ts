/**
 * A roster on two messengers for end-to-end tests: one person (陈静 by
 * default) reached on DingTalk in HTTP mode, everyone else on WeCom. The
 * DingTalk person types through signed one-to-one callbacks, as DingTalk
 * sends them, and reads what the fake DingTalk API delivered.
 */
import request from 'supertest';
import { signedHeaders, testDingtalkSettings } from '../channels/dingtalk/dingtalk-test-app';
import { startFakeDingtalk, type FakeDingtalk } from '../fakes/fake-dingtalk';
import { BotHarness } from './bot-harness';

/** The harness, the fake DingTalk, and how the DingTalk person types and reads. */
export interface MixedRoster {
  h: BotHarness;
  ding: FakeDingtalk;
  /** Everything delivered on DingTalk, as text (markdown cards included). */
  dingTexts(): string[];
  /** `from` types `content` on DingTalk; returns what DingTalk delivered since. */
  dingSay(content: string, from?: string): Promise<string[]>;
  stop(): Promise<void>;
}

let msgId = 0;

/** Starts the bot with `userid` moved to DingTalk; the month is not opened (the jobs open it). */
export async function startMixedRoster(
  userid = 'chenjing',
  env: Record<string, string> = {},
): Promise<MixedRoster> {
  const settings = testDingtalkSettings();
  const ding = await startFakeDingtalk({ appKey: settings.appKey, appSecret: settings.appSecret });
  const h = await BotHarness.start(
    {
      DINGTALK_APP_KEY: settings.appKey,
      DINGTALK_APP_SECRET: settings.appSecret,
      DINGTALK_ROBOT_CODE: settings.robotCode,
      DINGTALK_MODE: 'http',
      DINGTALK_API_BASE: ding.apiBase,
      ...env,
    },
    { open: false, clock: '2024-05-25T01:00:00Z' },
  );
  await h.models.people.updateOne({ userid }, { $set: { platform: 'dingtalk' } });
  const dingTexts = () =>
    ding.sent.map((b) => {
      const param = b.msgParam as { content?: string; text?: string };
      return param.content ?? param.text ?? '';
    });
  return {
    h,
    ding,
    dingTexts,
    async dingSay(content, from = userid) {
      const before = ding.sent.length;
      h.clock.advance(3000);
      const body = {
        msgtype: 'text',
        text: { content },
        msgId: `ding-${++msgId}`,
        conversationType: '1',
        senderStaffId: from,
        createAt: Date.now(),
      };
      const answer = await request(h.app.callback())
        .post('/dingtalk/callback')
        .set(signedHeaders(settings.appSecret, Date.now()))
        .send(body);
      expect(answer.status).toBe(200);
      await h.kaohe.settle();
      return dingTexts().slice(before);
    },
    async stop() {
      await h.stop();
      await ding.stop();
    },
  };
}
