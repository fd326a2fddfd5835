/**
 * The bot under attack: the whole app on WeCom and DingTalk (HTTP mode) with
 * its log captured in memory, plus the ways in an attacker has: raw WeCom
 * posts, signed or forged DingTalk posts, and a snapshot of the data that
 * must not change. What a person received is read in one place (`dingReceived`
 * here, the harness's `say`/`newFor` for WeCom), so a change in how replies
 * are delivered is adapted there.
 */
import type { Model } from 'mongoose';
import request from 'supertest';
import { createLogger } from '../../src/lib/logger';
import { BotHarness } from '../helpers/bot-harness';
import { signedHeaders, testDingtalkSettings } from '../channels/dingtalk/dingtalk-test-app';
import { startFakeDingtalk, type FakeDingtalk } from '../fakes/fake-dingtalk';

export const dingSettings = testDingtalkSettings();

/** The bot, the fake DingTalk and every log line the bot wrote. */
export interface HostileWorld {
  h: BotHarness;
  ding: FakeDingtalk;
  log: string[];
  stop(): Promise<void>;
}

/** Starts the bot with May open and 陈静 on DingTalk; its log (debug and up) goes to `log`. */
export async function startHostileWorld(): Promise<HostileWorld> {
  const log: string[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line) => log.push(line) } });
  const ding = await startFakeDingtalk({
    appKey: dingSettings.appKey,
    appSecret: dingSettings.appSecret,
  });
  const h = await BotHarness.start(
    {
      DINGTALK_APP_KEY: dingSettings.appKey,
      DINGTALK_APP_SECRET: dingSettings.appSecret,
      DINGTALK_ROBOT_CODE: dingSettings.robotCode,
      DINGTALK_MODE: 'http',
      DINGTALK_API_BASE: ding.apiBase,
    },
    { logger },
  );
  await h.models.people.updateOne({ userid: 'chenjing' }, { $set: { platform: 'dingtalk' } });
  return {
    h,
    ding,
    log,
    async stop() {
      await h.stop();
      await ding.stop();
    },
  };
}

// The collections whose documents no bad input may change. The inbox and the outbox are left
// out on purpose: a refused-at-app-level message is stored and handled like any other, and its
// short reply goes through the outbox; transport forgeries are checked to add to neither.
const GUARDED = ['assessments', 'records', 'months', 'people', 'cards', 'audit'] as const;

/** Every document of the guarded collections, in a stable order, as JSON. */
export async function snapshot(h: BotHarness): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const name of GUARDED) {
    const model = h.models[name] as unknown as Model<unknown>;
    const docs = await model.find({}).sort({ _id: 1 }).lean();
    result[name] = JSON.stringify(docs);
  }
  return result;
}

let dingMsgId = 0;

/** A DingTalk one-to-one text message body, as DingTalk posts it. */
export function dingBody(content: string, from: string, msgId = `hostile-${++dingMsgId}`) {
  return {
    msgtype: 'text',
    text: { content },
    msgId,
    conversationType: '1',
    senderStaffId: from,
    createAt: Date.now(),
  };
}

/** Posts a DingTalk callback with the given headers (signed ones by default). */
export function dingPost(
  h: BotHarness,
  body: object,
  headers: Record<string, string> = signedHeaders(dingSettings.appSecret, Date.now()),
) {
  return request(h.app.callback()).post('/dingtalk/callback').set(headers).send(body);
}

/** Texts DingTalk delivered to `userid` after the first `from` sends. */
export function dingReceived(ding: FakeDingtalk, userid: string, from = 0): string[] {
  return ding.sent
    .slice(from)
    .filter((b) => (b.userIds as string[]).includes(userid))
    .map((b) => {
      const param = b.msgParam as { content?: string; text?: string };
      return param.content ?? param.text ?? '';
    });
}

/** `from` types `content` in DingTalk; answers what they received there. */
export async function dingSay(world: HostileWorld, from: string, content: string) {
  const before = world.ding.sent.length;
  world.h.clock.advance(3000);
  const answer = await dingPost(world.h, dingBody(content, from));
  expect(answer.status).toBe(200);
  await world.h.kaohe.settle();
  return dingReceived(world.ding, from, before);
}

/** Whether a reply is what a person should get for bad input: one short line or two of Chinese. */
export function isShortChinese(text: string): boolean {
  return text.length > 0 && text.length < 200 && /[\u4e00-\u9fff]/.test(text);
}
