/**
 * A visitor's first month in the simulator, in a real browser (Debian's
 * Chromium on a phone-sized screen): load the demo team, open the month,
 * self-assess as 张伟 by tapping cards, score him as his supervisor 刘艳 by
 * typing, close the month, and find the report in the manager's chat.
 * Screenshots of each step go to test/artifacts/.
 */
import type { Locator, Page } from 'playwright-core';
import { monthOf } from '../../src/assessment/month';
import { openPhoneBrowser, type PhoneBrowser } from '../helpers/browser';
import { startSimulatedBot, type SimulatedBot } from '../helpers/simulated-bot';

let bot: SimulatedBot;
let browser: PhoneBrowser;
let page: Page;

beforeAll(async () => {
  bot = await startSimulatedBot();
  browser = await openPhoneBrowser();
  page = browser.page;
});
afterAll(async () => {
  await browser?.close();
  await bot?.stop();
});

const CRITERIA = 11;
const chat = () => page.getByRole('log', { name: '聊天记录' });
const cardFor = (no: number) =>
  chat().getByRole('article', { name: new RegExp(`^${no}/${CRITERIA} `) });

/** Who the page speaks as. */
async function beThe(userid: string): Promise<void> {
  await page.getByLabel('当前身份').selectOption(userid);
}

async function type(text: string): Promise<void> {
  await page.getByLabel('输入消息').fill(text);
  await page.getByRole('button', { name: '发送' }).click();
}

/** A score that fits the card: 9 of 10, or 4 of 5. */
async function scoreFor(card: Locator): Promise<number> {
  return (await card.getByRole('radio').count()) === 11 ? 9 : 4;
}

/** The chat entry (row) id holding `inner`. */
async function entryIdOf(inner: Locator): Promise<string> {
  return (await inner
    .locator('xpath=ancestor::*[@data-entry-id][1]')
    .getAttribute('data-entry-id'))!;
}

/** The latest question for criterion `no`: a card's title or a text's line starting so. */
function askedFor(no: number): Locator {
  return chat()
    .getByText(new RegExp(`(^|\\s)${no}/${CRITERIA} `))
    .last();
}

/** One less than the self-assessment's score for the asked criterion (满分 10: 8, 满分 5: 3). */
async function scoreAsked(question: Locator): Promise<number> {
  return /满分 10 分/.test(
    (await question.locator('xpath=ancestor::*[@data-entry-id][1]').textContent()) ?? '',
  )
    ? 8
    : 3;
}

/** Submits the form: the summary card's 提交 button where there is one, else typed. */
async function submitForm(where: Locator): Promise<void> {
  const button = where.getByRole('button', { name: '提交', exact: true });
  if ((await button.count()) > 0) await button.last().click();
  else await type('提交');
}

/** Waits until the page's status line says `text`. */
async function statusSays(text: string): Promise<void> {
  await page.getByRole('status').filter({ hasText: text }).first().waitFor();
}

describe('the simulator page', () => {
  it('takes a visitor through a whole month: tapping, typing, closing, the report', async () => {
    await withFailureScreenshot(aWholeMonth);
  }, 120_000);

  it("shows WeCom's other card types and reports their taps as WeCom does", async () => {
    await withFailureScreenshot(otherCardTypes);
  }, 60_000);
});

/** Runs `steps`; when one fails, the page as it was is saved as test/artifacts/failure.png. */
async function withFailureScreenshot(steps: () => Promise<void>): Promise<void> {
  try {
    await steps();
  } catch (err) {
    await browser.screenshot('failure').catch(() => undefined);
    throw err;
  }
}

async function aWholeMonth(): Promise<void> {
  await page.goto(`${bot.url}/simulator/`);
  const loadDemo = page.getByRole('button', { name: '加载示例团队' });
  await loadDemo.click();
  await loadDemo.waitFor({ state: 'detached' });
  await page.getByRole('button', { name: '开始本月' }).click();
  await statusSays('已通知 7 人');
  await browser.screenshot('01-month-opened');

  // 张伟 self-assesses by tapping: one card walks through the form in place.
  await beThe('zhangwei');
  await cardFor(1).waitFor();
  const row = chat().locator(`[data-entry-id="${await entryIdOf(cardFor(1))}"]`);
  for (let no = 1; no <= CRITERIA; no++) {
    const card = row.getByRole('article', { name: new RegExp(`^${no}/${CRITERIA} `) });
    await card.waitFor();
    const score = await scoreFor(card);
    await card.getByText(`${score}分`, { exact: true }).click();
    await card.getByRole('button', { name: '确定' }).click();
    await card.waitFor({ state: 'detached' });
    if (no === 3) await browser.screenshot('02-self-assessment-card');
  }
  // After the last one the same card shows the summary.
  await row.getByText('合计：89 分').waitFor();
  await submitForm(row);
  await chat().getByText('已提交自评，合计 89 分。谢谢！').waitFor();
  await browser.screenshot('03-self-assessment-submitted');

  // 刘艳 scores him by typing the numbers; each next question comes as a card or a text.
  await beThe('liuyan');
  await type('/review KF102');
  for (let no = 1; no <= CRITERIA; no++) {
    const question = askedFor(no);
    await question.waitFor();
    await type(String(await scoreAsked(question)));
  }
  await chat().getByText('合计：78 分').last().waitFor();
  await submitForm(chat());
  await chat().getByText('已提交为张伟（KF102）评分，合计 78 分。谢谢！').waitFor();
  await browser.screenshot('04-supervisor-submitted');

  // Fast-forward to the close; the manager asks for the report in chat.
  await page.getByRole('button', { name: '结束本月' }).click();
  await statusSays('汇总已发给经理');
  // The picker tells who got something new: the manager has the summary waiting.
  await page
    .getByRole('option', { name: /^王建国（经理） · \d+ 条新消息$/ })
    .waitFor({ state: 'attached' });
  await beThe('wangjg');
  const month = monthOf(new Date(), 'Asia/Shanghai');
  await type(`/report ${month}`);
  // 0.15 × 89 + 0.85 × 78 = 79.65, rounded half away from zero.
  await chat()
    .getByText(/张伟.*79\.7/)
    .first()
    .waitFor();
  await chat().getByText(`考核报表-${month}.xlsx`).waitFor();
  await chat()
    .getByRole('img', { name: `考核图表-${month}.png` })
    .waitFor();
  await browser.screenshot('05-manager-report');

  // The workbook behind the tile is the real file.
  const href = await chat().getByRole('link', { name: '下载' }).last().getAttribute('href');
  const workbook = Buffer.from(await (await fetch(`${bot.url}${href}`)).arrayBuffer());
  expect(workbook.subarray(0, 2).toString()).toBe('PK');

  await beThe('zhangwei');
  await chat().getByText(/79\.7/).first().waitFor();
  await browser.screenshot('06-employee-result');
}

/** Calls the simulator's WeCom API as the bot's client does: a token, then the call. */
async function wecomApi(path: string, body: Record<string, unknown>) {
  const { corpId, secret, agentId } = bot.running.simulator!.settings;
  const api = `${bot.url}/simulator/wecom/cgi-bin`;
  const token = await fetch(`${api}/gettoken?corpid=${corpId}&corpsecret=${secret}`);
  const { access_token } = (await token.json()) as { access_token: string };
  const reply = await fetch(`${api}${path}?access_token=${access_token}`, {
    method: 'POST',
    body: JSON.stringify({ agentid: agentId, ...body }),
  });
  return (await reply.json()) as { errcode: number; response_code?: string };
}

/** Sends a card to `touser`; returns the code that lets its sender update it. */
async function sendCard(touser: string, card: Record<string, unknown>): Promise<string> {
  const reply = await wecomApi('/message/send', {
    touser,
    msgtype: 'template_card',
    template_card: card,
  });
  return reply.response_code!;
}

/** The card taps the bot stored for `userid`, as neutral actions. */
async function storedTaps(userid: string) {
  const docs = await bot.running.database.models.inbox.find({ userid }).lean();
  return docs.flatMap((d) => (d.event.kind === 'action' ? [d.event.action] : []));
}

async function otherCardTypes(): Promise<void> {
  await fetch(`${bot.url}/simulator/api/demo`, { method: 'POST' }); // 409 once loaded: fine
  await page.goto(`${bot.url}/simulator/`);
  await beThe('yangfan');
  const signup = await sendCard('yangfan', {
    card_type: 'button_interaction',
    task_id: 'training-signup',
    main_title: { title: '是否参加消防培训', desc: '周五下午 2 点' },
    button_list: [
      { text: '参加', style: 1, key: 'join' },
      { text: '不参加', style: 2, key: 'decline' },
    ],
  });
  await sendCard('yangfan', {
    card_type: 'multiple_interaction',
    task_id: 'shift-choice',
    main_title: { title: '选择下月班次' },
    select_list: [
      {
        question_key: 'shift',
        title: '班次',
        option_list: [
          { id: 'day', text: '白班' },
          { id: 'night', text: '夜班' },
        ],
      },
    ],
    submit_button: { text: '提交', key: 'shift-submit' },
  });

  const buttons = chat().getByRole('article', { name: '是否参加消防培训' });
  await buttons.getByRole('button', { name: '参加', exact: true }).click();
  const selects = chat().getByRole('article', { name: '选择下月班次' });
  await selects.getByLabel('班次').selectOption('night');
  await selects.getByRole('button', { name: '提交' }).click();
  await browser.screenshot('07-other-card-types');

  // The bot got both taps in WeCom's shape, and answered as it does for a card it did not send.
  await chat().getByText('这张卡片已失效。发送 /help 查看可用的命令。').nth(1).waitFor();
  expect(await storedTaps('yangfan')).toEqual([
    expect.objectContaining({ cardId: 'training-signup', key: 'join', selections: {} }),
    expect.objectContaining({
      cardId: 'shift-choice',
      key: 'shift-submit',
      selections: { shift: ['night'] },
    }),
  ]);

  // A sender may replace a whole card, as WeCom's update_template_card allows.
  const updated = await wecomApi('/message/update_template_card', {
    userids: ['yangfan'],
    response_code: signup,
    template_card: { card_type: 'text_notice', main_title: { title: '已报名消防培训' } },
  });
  expect(updated.errcode).toBe(0);
  await chat().getByRole('article', { name: '已报名消防培训' }).waitFor();
  expect(await buttons.count()).toBe(0);

  // A locked button card (replace_text) shows its text where the buttons were, and nothing to tap.
  await sendCard('yangfan', {
    card_type: 'button_interaction',
    task_id: 'form-done',
    main_title: { title: '已提交自评', desc: '合计 89 分' },
    button_list: [
      { text: '提交', style: 1, key: 'submit' },
      { text: '修改', style: 2, key: 'edit' },
    ],
    replace_text: '已提交',
  });
  const locked = chat().getByRole('article', { name: '已提交自评' });
  await locked.getByText('已提交', { exact: true }).waitFor();
  expect(await locked.getByRole('button').count()).toBe(0);
}
