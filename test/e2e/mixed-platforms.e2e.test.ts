/**
 * A roster on two messengers: 陈静 is reached on DingTalk, everyone else on
 * WeCom. The flows, the data and the reports are the same whatever the platform.
 */
import { type BotHarness, lastCard, texts } from '../helpers/bot-harness';
import request from 'supertest';
import { signedHeaders, testDingtalkSettings } from '../channels/dingtalk/dingtalk-test-app';
import type { FakeDingtalk } from '../fakes/fake-dingtalk';
import { startMixedRoster, type MixedRoster } from '../helpers/mixed-roster';

let h: BotHarness;
let ding: FakeDingtalk;
let mixed: MixedRoster;
const settings = testDingtalkSettings();

beforeAll(async () => {
  mixed = await startMixedRoster();
  ({ h, ding } = mixed);
});
afterAll(async () => {
  await mixed.stop();
});

/** 陈静 (or `from`) types in DingTalk; returns what DingTalk delivered since. */
const dingSay = (content: string, from?: string) => mixed.dingSay(content, from);
const dingTexts = () => mixed.dingTexts();

describe('a month for a roster on WeCom and DingTalk', () => {
  it('opens: 陈静 gets her first criterion on DingTalk, the others on WeCom', async () => {
    expect(await h.kaohe.jobs.fire('open')).toBe('opened 2024-05, notified 4');
    await h.kaohe.settle();
    expect(ding.sent).toHaveLength(1);
    expect(ding.sent[0]).toMatchObject({ userIds: ['chenjing'], msgKey: 'sampleMarkdown' });
    expect(dingTexts()[0]).toContain('1/11 是否文明用语');
    expect(h.allFor('chenjing')).toEqual([]);
    expect(lastCard(h.allFor('zhangwei')).title).toMatch(/^1\/11 /);
  });

  it('陈静 fills her self-assessment by typing in DingTalk', async () => {
    for (let no = 1; no <= 11; no += 1) await dingSay(no === 6 || no === 9 ? '4' : '8');
    expect((await dingSay('/submit')).join('\n')).toBe('已提交自评，合计 80 分。谢谢！');
    expect(texts(h.allFor('chenjing'))).toBe('');
    const doc = await h.kaohe.assessments.get('2024-05', 'chenjing');
    expect(doc?.self.status).toBe('submitted');
  });

  it('refuses a forged, a stale and a replayed callback, changing nothing', async () => {
    const inbox = await h.models.inbox.countDocuments();
    const body = (id: string) => ({
      msgtype: 'text',
      text: { content: '/status' },
      msgId: id,
      conversationType: '1',
      senderStaffId: 'chenjing',
      createAt: Date.now(),
    });
    const post = (headers: Record<string, string>, id: string) =>
      request(h.app.callback()).post('/dingtalk/callback').set(headers).send(body(id));
    const forged = { ...signedHeaders(settings.appSecret, Date.now()), sign: 'Zm9yZ2Vk' };
    expect((await post(forged, 'forged-1')).status).toBe(401);
    expect(
      (await post(signedHeaders(settings.appSecret, Date.now() - 2 * 3600_000), 'stale-1')).status,
    ).toBe(401);
    const captured = signedHeaders(settings.appSecret, Date.now());
    expect((await post(captured, 'first-1')).status).toBe(200);
    // The same signed headers again, carrying another message: refused.
    expect((await post(captured, 'replay-1')).status).toBe(401);
    expect(await h.models.inbox.countDocuments()).toBe(inbox + 1);
    expect(await h.models.inbox.countDocuments({ key: 'dingtalk:msg:replay-1' })).toBe(0);
    await h.kaohe.settle();
    expect(dingTexts().at(-1)).toContain('我的自评：已提交');
  });

  it('a leader’s record about her reaches her on DingTalk', async () => {
    expect(texts(await h.say('zhaomin', '/log K003 +2 表扬 耐心解答业主'))).toMatch(
      /^已记录 陈静（K003）/,
    );
    expect(dingTexts().at(-1)).toContain('你有一条新的考核记录：表扬 +2：耐心解答业主');
  });

  it('her supervisor scores her on WeCom; a bad score gets the same clear reply', async () => {
    await h.say('liuyan', '/review K003');
    expect(texts(await h.say('liuyan', '11'))).toMatch(/11 分超出范围/);
    for (let no = 1; no <= 11; no += 1) await h.say('liuyan', no === 6 || no === 9 ? '5' : '9');
    await h.say('liuyan', '/submit');
  });

  it('closes: 陈静’s result comes on DingTalk with the same final as the report', async () => {
    h.clock.set('2024-06-05T01:00:00Z');
    await h.kaohe.jobs.fire('close');
    await h.kaohe.settle();
    const result = dingTexts().find((t) => t.startsWith('2024年5月考核结果'))!;
    // 0.15 × 80 + 0.85 × 91 + 2 = 12 + 77.35 + 2 = 91.35 → 91.4
    expect(result).toMatch(/· 表扬 \+2：耐心解答业主（编号 [0-9A-F]{6}）/);
    expect(result).toContain('最终得分：0.15×80 + 0.85×91 + 2 = 91.4 分');
    const report = texts(await h.say('wangjl', '/report 2024-05'));
    expect(report).toContain('陈静 K003 自评80 主管91 奖惩+2 最终91.4');
  });

  it('a manager on DingTalk gets /report with the workbook and the chart as DingTalk file and image', async () => {
    await h.models.people.updateOne({ userid: 'wangjl' }, { $set: { platform: 'dingtalk' } });
    const replies = await dingSay('/report 2024-05', 'wangjl');
    expect(replies[0]).toContain('陈静 K003 自评80 主管91 奖惩+2 最终91.4');
    const toManager = ding.sent.filter((b) => (b.userIds as string[]).includes('wangjl'));
    expect(toManager.map((b) => b.msgKey)).toEqual(['sampleText', 'sampleFile', 'sampleImageMsg']);
    expect(ding.uploads.map((u) => u.fileName)).toEqual([
      '考核报表-2024-05.xlsx',
      '考核图表-2024-05.png',
    ]);
    expect(toManager[1]!.msgParam).toMatchObject({
      mediaId: ding.uploads[0]!.mediaId,
      fileType: 'xlsx',
    });
  });
});
