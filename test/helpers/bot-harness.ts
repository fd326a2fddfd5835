/**
 * A whole bot for end-to-end tests: the real app and flows on a test database
 * and the real Redis, WeCom faked as an HTTP server on 127.0.0.1, callbacks
 * encrypted and signed as WeCom does. `say` and `tap` act as a person would and
 * return what that person received.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import type Koa from 'koa';
import { loadConfig, type AppConfig } from '../../config';
import { createApp } from '../../src/http/app';
import { createKaohe, type Kaohe } from '../../src/compose';
import { ManualClock } from '../../src/lib/clock';
import { createLogger, silentLogger, type Logger } from '../../src/lib/logger';

// DEBUG_TESTS=1 shows the bot's log lines while a test runs.
const testLogger = process.env.DEBUG_TESTS ? createLogger({ level: 'debug' }) : silentLogger;
import { importRoster } from '../../src/roster/import-roster';
import type { StateStore } from '../../src/state/state-store';
import { createModels, ensureIndexes, type Models } from '../../src/store/models';
import { startFakeWecom, type FakeWecom } from '../fakes/fake-wecom';
import { startTestDatabase, type TestDatabase } from './database';
import { openPassiveReply } from './passive-reply';
import { testRedisStore } from './redis';
import {
  cardClickCallback,
  callbackPath,
  testWecomSettings,
  textCallback,
  type SignedCallback,
} from './wecom-callback';

type Json = Record<string, unknown>;

/** One message as the person saw it: text, or a card with its title, description and options. */
export interface Seen {
  text?: string;
  card?: {
    taskId: string;
    title: string;
    description: string;
    options: string[];
    checked?: string;
    /** A button card's buttons (labels). */
    buttons?: string[];
    /** Shown in place of the buttons once the card is locked. */
    locked?: string;
  };
  /** Came back inside the callback's response (a passive reply), not through the API. */
  inline?: boolean;
}

/** Keys a card reports back when tapped, as WeCom takes them from the card shown. */
interface CardKeys {
  question: string;
  submit: string;
  buttons: { label: string; key: string }[];
}

let msgId = 1_000_000;
// A person answers every few seconds; the outbox's 30-a-minute limit per person is real in these tests.
const HUMAN_PACE_MS = 3000;

export class BotHarness {
  readonly clock = new ManualClock('2024-05-26T02:00:00Z');
  readonly settings;
  kaohe!: Kaohe;
  app!: Koa;
  models!: Models;
  config!: AppConfig;
  private seenCount = new Map<string, number>();
  // What each person received, API messages and passive replies in the order they arrived.
  private timeline = new Map<string, Seen[]>();
  private absorbed = 0;
  // The keys of the card each task id shows now (a passive reply replaces a card in place).
  private cards = new Map<string, CardKeys>();
  private taps = 0;
  /** The bot's logger; a test may capture it (see `start`'s `logger`). */
  logger: Logger = testLogger;

  private constructor(
    readonly db: TestDatabase,
    readonly fake: FakeWecom,
    readonly state: StateStore,
  ) {
    this.settings = testWecomSettings({ apiBase: fake.apiBase });
  }

  /** Starts everything, imports the fixture roster and opens 2024-05. */
  static async start(
    env: Record<string, string> = {},
    options: { open?: boolean; clock?: string; logger?: Logger; state?: StateStore } = {},
  ): Promise<BotHarness> {
    const db = await startTestDatabase();
    const base = testWecomSettings();
    const fake = await startFakeWecom({ corpId: base.corpId, secret: base.secret });
    const harness = new BotHarness(db, fake, options.state ?? testRedisStore());
    if (options.clock) harness.clock.set(options.clock);
    if (options.logger) harness.logger = options.logger;
    harness.config = loadConfig({
      WECOM_CORP_ID: base.corpId,
      WECOM_AGENT_ID: String(base.agentId),
      WECOM_SECRET: base.secret,
      WECOM_TOKEN: base.token,
      WECOM_ENCODING_AES_KEY: base.encodingAesKey,
      WECOM_API_BASE: fake.apiBase,
      ...env,
    });
    harness.models = createModels(db.connection);
    await ensureIndexes(harness.models);
    harness.build();
    const csv = readFileSync(path.join(__dirname, '../fixtures/roster.csv'), 'utf8');
    await importRoster(csv, harness.kaohe.people, 'test', harness.clock.now());
    if (options.open !== false) {
      await harness.kaohe.months.openMonth(
        '2024-05',
        harness.config.assessment,
        'test',
        harness.clock.now(),
      );
    }
    return harness;
  }

  /** (Re)builds the bot on the same database and state, as a restart would; returns it. */
  build(): Kaohe {
    this.kaohe = createKaohe({
      config: this.config,
      models: this.models,
      state: this.state,
      clock: this.clock,
      logger: this.logger,
    });
    this.app = createApp({
      logger: this.logger,
      health: { mongo: async () => true, state: this.state, backlogs: this.kaohe.backlogs },
      metrics: this.kaohe.metrics,
      routes: this.kaohe.routes,
    });
    return this.kaohe;
  }

  async stop(): Promise<void> {
    await this.kaohe.stop();
    await this.fake.stop();
    await this.state.close();
    await this.db.stop();
  }

  /** Posts a sealed callback as WeCom would; returns the HTTP answer. */
  post(callback: SignedCallback) {
    return request(this.app.callback())
      .post(callbackPath(callback.query))
      .set('content-type', 'text/xml')
      .send(callback.body);
  }

  /** `user` types `content`; returns what they received in answer. */
  async say(user: string, content: string): Promise<Seen[]> {
    this.clock.advance(HUMAN_PACE_MS);
    const callback = textCallback(this.settings, { from: user, content, msgId: String(++msgId) });
    const answer = await this.post(callback);
    expect(answer.status).toBe(200);
    this.receive(user, answer.text);
    await this.kaohe.settle();
    return this.newFor(user);
  }

  /** Takes a passive reply from a callback's response into what `user` saw. */
  receive(user: string, body: string): void {
    this.absorb();
    if (body === '') return;
    const reply = openPassiveReply(this.settings, body);
    expect(reply.toUser).toBe(user);
    const seen: Seen =
      reply.msgType === 'text'
        ? { text: reply.text, inline: true }
        : reply.msgType === 'update_button'
          ? { card: { ...EMPTY_CARD, locked: reply.replaceName }, inline: true }
          : { ...toSeen({ msgtype: 'template_card', template_card: reply.card }), inline: true };
    if (reply.card) this.cards.set(String(reply.card.task_id), keysOf(reply.card));
    this.timelineOf(user).push(seen);
  }

  /** `user` taps score `option` on card `taskId` and presses the submit button. */
  async tap(
    user: string,
    taskId: string,
    option: string | null,
    responseCode = `rc-${taskId}-${++this.taps}`,
  ): Promise<Seen[]> {
    const keys = this.cardKeys(taskId);
    return this.click(user, taskId, keys.submit, keys.question, option, responseCode);
  }

  /** `user` presses the button labelled `label` (or starting so) on card `taskId`. */
  async press(user: string, taskId: string, label: string): Promise<Seen[]> {
    const button = this.cardKeys(taskId).buttons.find((b) => b.label.startsWith(label));
    if (!button) throw new Error(`no button “${label}” on card ${taskId}`);
    return this.click(user, taskId, button.key, '', null, `rc-${taskId}-${++this.taps}`);
  }

  private async click(
    user: string,
    taskId: string,
    eventKey: string,
    questionKey: string,
    option: string | null,
    responseCode: string,
  ): Promise<Seen[]> {
    this.clock.advance(HUMAN_PACE_MS);
    const callback = cardClickCallback(this.settings, {
      from: user,
      taskId,
      eventKey,
      questionKey,
      optionIds: option === null ? [] : [option],
      responseCode,
      createTime: Math.floor(Date.now() / 1000) + msgId++,
    });
    const answer = await this.post(callback);
    expect(answer.status).toBe(200);
    this.receive(user, answer.text);
    await this.kaohe.settle();
    return this.newFor(user);
  }

  /** The keys of the card `taskId` shows now, as WeCom reports them back on a tap. */
  private cardKeys(taskId: string): CardKeys {
    this.absorb();
    return this.cards.get(taskId) ?? { question: 'score', submit: 'score', buttons: [] };
  }

  /** Moves API messages the fake received into each person's timeline. */
  private absorb(): void {
    for (const body of this.fake.sent.slice(this.absorbed)) {
      const card = body.template_card as Json | undefined;
      if (card) this.cards.set(String(card.task_id), keysOf(card));
      for (const user of String(body.touser).split('|')) this.timelineOf(user).push(toSeen(body));
    }
    this.absorbed = this.fake.sent.length;
  }

  private timelineOf(user: string): Seen[] {
    const list = this.timeline.get(user) ?? [];
    this.timeline.set(user, list);
    return list;
  }

  /** Everything `user` received so far, through the API and inside callbacks. */
  allFor(user: string): Seen[] {
    this.absorb();
    return [...this.timelineOf(user)];
  }

  /** How many API messages (message/send and update_template_card) reached `user`. */
  apiMessagesTo(user: string): number {
    const sends = this.fake.sent.filter((b) => String(b.touser).split('|').includes(user));
    const updates = this.fake.updates.filter((b) => (b.userids as string[]).includes(user));
    return sends.length + updates.length;
  }

  /** What `user` received since the last call. */
  newFor(user: string): Seen[] {
    const all = this.allFor(user);
    const from = this.seenCount.get(user) ?? 0;
    this.seenCount.set(user, all.length);
    return all.slice(from);
  }
}

const EMPTY_CARD = { taskId: '', title: '', description: '', options: [] };

function keysOf(card: Json): CardKeys {
  const checkbox = card.checkbox as { question_key?: string } | undefined;
  const submit = card.submit_button as { key?: string } | undefined;
  const buttons = (card.button_list ?? []) as { text: string; key: string }[];
  return {
    question: checkbox?.question_key ?? '',
    submit: submit?.key ?? '',
    buttons: buttons.map((b) => ({ label: b.text, key: b.key })),
  };
}

function toSeen(body: Json): Seen {
  if (body.msgtype === 'template_card') {
    const card = body.template_card as Json;
    const main = card.main_title as { title: string; desc?: string };
    const checkbox = card.checkbox as
      { option_list: { id: string; text: string; is_checked?: boolean }[] } | undefined;
    const buttons = card.button_list as { text: string }[] | undefined;
    return {
      card: {
        taskId: String(card.task_id),
        title: main.title,
        description: main.desc ?? '',
        options: checkbox?.option_list.map((o) => o.id) ?? [],
        checked: checkbox?.option_list.find((o) => o.is_checked)?.id,
        ...(buttons ? { buttons: buttons.map((b) => b.text) } : {}),
        ...(card.replace_text ? { locked: String(card.replace_text) } : {}),
      },
    };
  }
  const content = ((body.text ?? body.markdown) as { content: string } | undefined)?.content;
  return { text: content };
}

/** The last card among messages. */
export function lastCard(seen: Seen[]): NonNullable<Seen['card']> {
  const card = [...seen].reverse().find((s) => s.card)?.card;
  if (!card) throw new Error(`no card among ${JSON.stringify(seen)}`);
  return card;
}

/**
 * All text a person reads among messages, joined: texts, and the words of
 * cards that ask nothing (a summary with its buttons, a locked card); a
 * question card is read with lastCard().
 */
export function texts(seen: Seen[]): string {
  return seen
    .map(
      (s) =>
        s.text ??
        (s.card && s.card.options.length === 0
          ? [s.card.title, s.card.description].filter(Boolean).join('\n')
          : ''),
    )
    .filter(Boolean)
    .join('\n');
}
