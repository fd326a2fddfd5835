/**
 * The same walk on DingTalk without a card template: 陈静's result comes as
 * text with the 确认 / 申诉 card as markdown naming what to type; she types
 * 申诉 and 确认, and hears the correction on DingTalk.
 */
import { type BotHarness, texts } from '../../helpers/bot-harness';
import type { FakeDingtalk } from '../../fakes/fake-dingtalk';
import { startMixedRoster, type MixedRoster } from '../../helpers/mixed-roster';

let h: BotHarness;
let ding: FakeDingtalk;
let mixed: MixedRoster;

beforeAll(async () => {
  mixed = await startMixedRoster();
  ({ h, ding } = mixed);
});
afterAll(async () => {
  await mixed.stop();
});

/** 陈静 types in DingTalk; returns what DingTalk delivered since, as one text. */
const dingSay = async (content: string): Promise<string> =>
  (await mixed.dingSay(content)).join('\n');
const dingTexts = () => mixed.dingTexts();

const form = (ten: number, five: number) =>
  Array.from({ length: 11 }, (_, i) => String(i === 5 || i === 8 ? five : ten));

describe('confirming and appealing on DingTalk by typing', () => {
  let code = '';
  it('the scheduled close sends the result and, as markdown, what to type to answer it', async () => {
    await h.kaohe.jobs.fire('open');
    await h.kaohe.settle();
    for (const s of form(8, 4)) await dingSay(s); // 80
    expect(await dingSay('/submit')).toContain('已提交自评');
    await h.say('liuyan', '/review K003');
    for (const s of form(9, 5)) await h.say('liuyan', s); // 91
    await h.say('liuyan', '/submit');
    h.clock.set('2024-06-05T01:00:00Z');
    // The schedule closes without asking, though others are behind.
    expect(await h.kaohe.jobs.fire('close')).toBe('closed 2024-05, results to 4');
    await h.kaohe.settle();
    const sent = dingTexts();
    expect(sent.find((t) => t.startsWith('2024年5月考核结果'))).toContain(
      '最终得分：0.15×80 + 0.85×91 + 0 = 89.4 分',
    );
    const card = sent.at(-1)!;
    expect(card).toContain('### 2024年5月考核结果：89.4 分');
    expect(card).toContain('- 回复 **确认**：确认');
    expect(card).toContain('- 回复 **申诉 项号 理由**：申诉');
  });

  it('陈静 types 申诉 3 with a reason; her supervisor corrects; she hears the new final on DingTalk', async () => {
    const receipt = await dingSay('申诉 3 本月配合同事完成了两次大型活动');
    expect(receipt).toMatch(
      /^已收到你对2024年5月考核第 3 项（同事配合）的申诉，编号 A[0-9A-F]{5}。/,
    );
    code = /编号 (A[0-9A-F]{5})/.exec(receipt)![1]!;
    expect(texts(h.newFor('liuyan'))).toContain(`申诉 ${code}：陈静（K003）`);
    const before = ding.sent.length;
    expect(texts(await h.say('liuyan', `采纳 ${code} 10 情况属实`))).toContain(
      '最终得分 89.4 → 90.2。已通知本人。',
    );
    expect(dingTexts().slice(before).join('\n')).toContain(
      '你的2024年5月考核结果已更正：第 3 项主管评分 9 → 10 分。理由：情况属实。最终得分：89.4 → 90.2。',
    );
  });

  it('陈静 types 确认; a person whose final is still open cannot confirm it', async () => {
    expect(await dingSay('确认')).toBe('已确认2024年5月考核结果，最终得分 90.2 分。谢谢！');
    expect(await dingSay('申诉 5 理由')).toBe('你已确认过2024年5月考核结果，不能再申诉。');
    expect(texts(h.newFor('zhangwei'))).toContain('自评：截止时未提交，按 0 分计。');
    expect(texts(await h.say('zhangwei', '确认'))).toBe(
      '你的主管评分未完成，最终得分待定，暂时不能确认或申诉。',
    );
    const report = texts(await h.say('wangjl', '/report 2024-05'));
    expect(report).toContain('结果确认：已确认 0，申诉中 0，已更正 1，维持 0，待确认 3');
  });
});
