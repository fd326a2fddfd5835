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

/** Waits until the page's status line says `text`. */
async function statusSays(text: string): Promise<void> {
  await page.getByRole('status').filter({ hasText: text }).first().waitFor();
}

describe('the simulator page', () => {
  it('takes a visitor through a whole month: tapping, typing, closing, the report', async () => {
    await withFailureScreenshot(aWholeMonth);
  }, 120_000);
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

  // 张伟 self-assesses by tapping each card.
  await beThe('zhangwei');
  for (let no = 1; no <= CRITERIA; no++) {
    const card = cardFor(no);
    await card.waitFor();
    const score = await scoreFor(card);
    await card.getByText(`${score}分`, { exact: true }).click();
    await card.getByRole('button', { name: '确定' }).click();
    await card.getByText(`已选 ${score} 分`).waitFor();
    if (no === 3) await browser.screenshot('02-self-assessment-card');
  }
  await type('提交');
  await chat().getByText('已提交自评,合计 89 分。谢谢!').waitFor();
  await browser.screenshot('03-self-assessment-submitted');

  // 刘艳 scores him by typing the numbers.
  await beThe('liuyan');
  await type('/review KF102');
  for (let no = 1; no <= CRITERIA; no++) {
    const card = cardFor(no);
    await card.waitFor();
    await type(String((await scoreFor(card)) - 1));
  }
  await type('提交');
  await chat().getByText('已提交为张伟(KF102)评分,合计 78 分。谢谢!').waitFor();
  await browser.screenshot('04-supervisor-submitted');

  // Fast-forward to the close; the manager asks for the report in chat.
  await page.getByRole('button', { name: '结束本月' }).click();
  await statusSays('汇总已发给经理');
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
