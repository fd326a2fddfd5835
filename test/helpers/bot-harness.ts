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
import { createApp } from '../../src/app';
import { createKaohe, type Kaohe } from '../../src/kaohe';
import { ManualClock } from '../../src/lib/clock';
import { createLogger, silentLogger } from '../../src/lib/logger';

// DEBUG_TESTS=1 shows the bot's log lines while a test runs.
const testLogger = process.env.DEBUG_TESTS ? createLogger({ level: 'debug' }) : silentLogger;
import { importRoster } from '../../src/roster/import-roster';
import type { StateStore } from '../../src/state/state-store';
import { createModels, ensureIndexes, type Models } from '../../src/store/models';
import { startFakeWecom, type FakeWecom } from '../fakes/fake-wecom';
import { startTestDatabase, type TestDatabase } from './database';
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
  };
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
    options: { open?: boolean; clock?: string; state?: StateStore } = {},
  ): Promise<BotHarness> {
    const db = await startTestDatabase();
    const base = testWecomSettings();
    const fake = await startFakeWecom({ corpId: base.corpId, secret: base.secret });
    const harness = new BotHarness(db, fake, options.state ?? testRedisStore());
    if (options.clock) harness.clock.set(options.clock);
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
      logger: testLogger,
    });
    this.app = createApp({
      logger: testLogger,
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
    expect(answer.text).toBe('');
    await this.kaohe.settle();
    return this.newFor(user);
  }

  /** `user` taps score `option` on card `taskId` and presses the submit button. */
  async tap(
    user: string,
    taskId: string,
    option: string | null,
    responseCode = `rc-${taskId}`,
  ): Promise<Seen[]> {
    this.clock.advance(HUMAN_PACE_MS);
    const keys = this.cardKeys(taskId);
    const callback = cardClickCallback(this.settings, {
      from: user,
      taskId,
      eventKey: keys.submit,
      questionKey: keys.question,
      optionIds: option === null ? [] : [option],
      responseCode,
      createTime: Math.floor(Date.now() / 1000) + msgId++,
    });
    const answer = await this.post(callback);
    expect(answer.status).toBe(200);
    await this.kaohe.settle();
    return this.newFor(user);
  }

  /** The question and submit keys of a card that was sent, as WeCom reports them back on a tap. */
  private cardKeys(taskId: string): { question: string; submit: string } {
    const body = this.fake.sent.find(
      (b) => (b.template_card as Json | undefined)?.task_id === taskId,
    );
    const card = (body?.template_card ?? {}) as {
      checkbox?: { question_key: string };
      submit_button?: { key: string };
    };
    return {
      question: card.checkbox?.question_key ?? 'score',
      submit: card.submit_button?.key ?? 'score',
    };
  }

  /** Everything sent to `user` so far. */
  allFor(user: string): Seen[] {
    return this.fake.sent.filter((b) => b.touser === user).map(toSeen);
  }

  /** What `user` received since the last call. */
  newFor(user: string): Seen[] {
    const all = this.allFor(user);
    const from = this.seenCount.get(user) ?? 0;
    this.seenCount.set(user, all.length);
    return all.slice(from);
  }
}

function toSeen(body: Json): Seen {
  if (body.msgtype === 'template_card') {
    const card = body.template_card as Json;
    const main = card.main_title as { title: string; desc: string };
    const checkbox = card.checkbox as {
      option_list: { id: string; text: string; is_checked?: boolean }[];
    };
    return {
      card: {
        taskId: card.task_id as string,
        title: main.title,
        description: main.desc,
        options: checkbox.option_list.map((o) => o.id),
        checked: checkbox.option_list.find((o) => o.is_checked)?.id,
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

/** All text among messages, joined. */
export function texts(seen: Seen[]): string {
  return seen
    .map((s) => s.text)
    .filter(Boolean)
    .join('\n');
}
