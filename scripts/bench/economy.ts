/**
 * Conversation economy: how many WeCom API messages (message/send and
 * update_template_card, each under the 30-a-minute limit) a whole form costs
 * when answers can go back inside the callback, and how long each answer takes
 * from the POST to the passive reply (or to the API message when not passive).
 * The real bot on the embedded database and real Redis, against a fake WeCom
 * on loopback that records every call. Cards are found by their progress title
 * (/^\d+\/11 /) and buttons by label, so the form's wording may change.
 */
import { listen, startBenchBot, urlOf } from './bench-bot';
import { performance } from 'node:perf_hooks';
import Koa from 'koa';

import { monthOf } from '../../src/assessment/month';
import { importRoster } from '../../src/roster/import-roster';
import { openPassiveReply } from '../../src/simulator/passive-reply';
import type { FakeWecom } from '../../test/fakes/fake-wecom';
import {
  callbackPath,
  cardClickCallback,
  testWecomSettings,
  textCallback,
  type SignedCallback,
} from '../../test/helpers/wecom-callback';
import { measure } from './measure';

type Json = Record<string, unknown>;
const PROGRESS = /^\d+\/\d+ /;
const ANSWER_WAIT_MS = 60_000;
let msgId = 7_000_000;

/** One person's side of the chat: what their WeCom shows, and how long each answer took. */
class Person {
  readonly times: number[] = [];
  passive = 0;
  // Cards by task id, as they show now (a passive reply replaces one in place).
  private readonly cards = new Map<string, Json>();
  private lastCard = '';
  private seen = 0;

  constructor(
    readonly userid: string,
    private readonly bot: {
      url: string;
      fake: FakeWecom;
      settings: ReturnType<typeof testWecomSettings>;
    },
  ) {}

  /** API messages (sends and card updates) this person received so far. */
  apiMessages(): number {
    const { fake } = this.bot;
    return (
      fake.sent.filter((b) => String(b.touser).split('|').includes(this.userid)).length +
      fake.updates.filter((b) => (b.userids as string[]).includes(this.userid)).length
    );
  }

  /** Types `text`; waits for the answer. */
  say(text: string): Promise<void> {
    const from = this.userid;
    return this.send(
      textCallback(this.bot.settings, { from, content: text, msgId: String(++msgId) }),
    );
  }

  /** Taps the highest score on the form card showing now and presses its submit button. */
  tapScore(): Promise<void> {
    const card = this.formCard();
    const options = (card.checkbox as { option_list: { id: string }[] }).option_list;
    return this.send(
      cardClickCallback(this.bot.settings, {
        from: this.userid,
        taskId: String(card.task_id),
        eventKey: String((card.submit_button as Json).key),
        questionKey: String((card.checkbox as Json).question_key),
        optionIds: [options[options.length - 1]!.id],
        responseCode: `rc-${++msgId}`,
        createTime: Math.floor(Date.now() / 1000) + msgId,
      }),
    );
  }

  /** Presses the button starting with `label` on the latest card, if there is one; false if not. */
  async press(label: string): Promise<boolean> {
    this.absorb();
    const card = this.cards.get(this.lastCard);
    const button = ((card?.button_list ?? []) as { text: string; key: string }[]).find((b) =>
      b.text.startsWith(label),
    );
    if (!card || !button || card.replace_text) return false;
    await this.send(
      cardClickCallback(this.bot.settings, {
        from: this.userid,
        taskId: String(card.task_id),
        eventKey: button.key,
        questionKey: '',
        optionIds: [],
        responseCode: `rc-${++msgId}`,
        createTime: Math.floor(Date.now() / 1000) + msgId,
      }),
    );
    return true;
  }

  /** The score card showing now (found by its progress title). */
  private formCard(): Json {
    this.absorb();
    const found = [...this.cards.values()]
      .reverse()
      .find((c) => PROGRESS.test(String((c.main_title as Json).title)) && c.checkbox);
    if (!found) throw new Error(`${this.userid}: no form card to tap`);
    return found;
  }

  // Times one answer: to the passive reply in hand, or to the next API message.
  private async send(callback: SignedCallback): Promise<void> {
    this.absorb();
    const before = this.apiMessages();
    const t0 = performance.now();
    const answer = await fetch(`${this.bot.url}${callbackPath(callback.query)}`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: callback.body,
    });
    if (answer.status !== 200) throw new Error(`callback answered HTTP ${answer.status}`);
    const reply = openPassiveReply(this.bot.settings, await answer.text(), this.userid);
    if (reply) {
      this.passive++;
      if (reply.type === 'card') this.show(reply.card);
    } else {
      while (this.apiMessages() === before) {
        if (performance.now() - t0 > ANSWER_WAIT_MS) throw new Error(`${this.userid}: no answer`);
        await new Promise((r) => setTimeout(r, 2));
      }
    }
    this.times.push(performance.now() - t0);
  }

  private show(card: Json): void {
    this.cards.delete(String(card.task_id));
    this.cards.set(String(card.task_id), card);
    this.lastCard = String(card.task_id);
  }

  private absorb(): void {
    const mine = this.bot.fake.sent.filter((b) => String(b.touser) === this.userid);
    for (const body of mine.slice(this.seen))
      if (body.template_card) this.show(body.template_card as Json);
    this.seen = mine.length;
  }
}

/** Runs one form through: 自评 or 评分 工号, eleven answers (taps or typed), then 提交. */
async function walkForm(person: Person, start: string, by: 'taps' | 'typing'): Promise<void> {
  await person.say(start);
  for (let no = 1; no <= 11; no++) {
    if (by === 'taps') await person.tapScore();
    else await person.say('4');
  }
  if (!(await person.press('提交'))) await person.say('提交');
}

/** Runs the conversation economy benchmark. */
export async function benchEconomy(options: {
  people: number;
  redisUrl: string;
  mongodbUri?: string;
}) {
  const { fake, settings, config, kaohe, url, stop } = await startBenchBot({
    name: 'economy',
    redisUrl: options.redisUrl,
    mongodbUri: options.mongodbUri,
  });
  const bare = new Koa().use((ctx) => void (ctx.status = 200));
  const bareServer = await listen(bare);
  const bareUrl = urlOf(bareServer);

  const staff = Array.from({ length: options.people + 2 }, (_, i) => `s${i}`);
  const csv = [
    'userid,name,employee_no,roles,supervisor_userid,platform',
    'm0,经理,M0,manager,,wecom',
    'sup0,主管,P0,supervisor,m0,wecom',
    ...staff.map((u, i) => `${u},员工${i},E${i},staff,sup0,wecom`),
  ].join('\n');
  const imported = await importRoster(csv, kaohe.people, 'bench', new Date());
  if (!imported.ok) throw new Error(`economy roster refused: ${imported.problems[0]?.message}`);
  await kaohe.months.openMonth(
    monthOf(new Date(), config.timeZone),
    config.assessment,
    'bench',
    new Date(),
  );
  await kaohe.start();

  const bot = { url, fake, settings };
  // The floor: the same answer count against a bare endpoint, one at a time as a person answers.
  const floor = await measure(
    'bare',
    Array.from({ length: 300 }, () => () => fetch(bareUrl, { method: 'POST' })),
    1,
  );

  const tapper = new Person(staff[0]!, bot);
  await walkForm(tapper, '自评', 'taps');
  const typist = new Person(staff[1]!, bot);
  await walkForm(typist, '自评', 'typing');
  const supervisor = new Person('sup0', bot);
  const started = performance.now();
  for (let i = 2; i < staff.length; i++) await walkForm(supervisor, `评分 E${i}`, 'typing');
  const supervisorSeconds = (performance.now() - started) / 1000;
  await kaohe.settle();

  const forms = [tapper, typist, supervisor].map((p) => ({
    answers: p.times.length,
    passive: p.passive,
    api: p.apiMessages(),
  }));
  const sorted = [...supervisor.times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const result = {
    database: options.mongodbUri ? 'MongoDB' : 'embedded',
    floor,
    taps: forms[0]!,
    typing: forms[1]!,
    supervisor: {
      ...forms[2]!,
      p50ms: at(0.5),
      p99ms: at(0.99),
      over3s: sorted.filter((t) => t > 3000).length,
      seconds: supervisorSeconds,
    },
  };
  await new Promise((r) => bareServer.close(r));
  await stop();
  return result;
}
