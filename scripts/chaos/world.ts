/**
 * What every chaos scenario shares: a temp folder with a roster, a fake WeCom on
 * 127.0.0.1 with the duplicate check modelled, the bot's environment, signed
 * callbacks as WeCom sends them, and the figures read from what WeCom delivered.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startFakeWecom, type FakeWecom } from '../../test/fakes/fake-wecom';
import { callbackPath, testWecomSettings, textCallback } from '../../test/helpers/wecom-callback';
import type { WecomSettings } from '../../src/channels/wecom/settings';

type Json = Record<string, unknown>;

/** The people of a run: one manager, supervisors of 20 staff each, and the staff. */
export interface Team {
  manager: string;
  staff: string[];
}

/** A run's fixtures. */
export interface World {
  dir: string;
  fake: FakeWecom;
  settings: WecomSettings;
  team: Team;
  /** The bot's environment (WeCom pointed at the fake, the roster file, the data folder). */
  env: Record<string, string>;
  /**
   * Posts one text callback to a bot; returns the HTTP status (0 when unreachable or
   * slower than `timeoutMs`). Give `msgId` to post a retry of the same message.
   */
  say(
    port: number,
    from: string,
    content: string,
    options?: { msgId?: string; timeoutMs?: number },
  ): Promise<number>;
  /** Removes the folder and stops the fake. */
  close(): Promise<void>;
}

let messageIds = Date.now();

/** A fresh WeCom MsgId. */
export function nextMsgId(): string {
  return String(++messageIds);
}

/** Sets up a world for `staff` people; `guards: false` makes WeCom deliver every repeat. */
export async function createWorld(staff: number, guards = true): Promise<World> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kaohe-chaos-'));
  const fake = await startFakeWecom({ guards });
  // WeCom answers in tens of milliseconds; without a latency a small fan-out ends before any kill lands.
  fake.setLatency(50);
  const settings = testWecomSettings({ apiBase: fake.apiBase });
  const team = writeRoster(path.join(dir, 'roster.csv'), staff);
  const env = {
    WECOM_CORP_ID: settings.corpId,
    WECOM_AGENT_ID: String(settings.agentId),
    WECOM_SECRET: settings.secret,
    WECOM_TOKEN: settings.token,
    WECOM_ENCODING_AES_KEY: settings.encodingAesKey,
    WECOM_API_BASE: fake.apiBase,
    ROSTER_FILE: path.join(dir, 'roster.csv'),
    DATA_DIR: path.join(dir, 'data'),
    // A crashed sender's messages are taken again after 5 s rather than a minute: runs stay short.
    OUTBOX_LEASE_MS: '5000',
  };
  const say: World['say'] = async (port, from, content, options = {}) => {
    const msgId = options.msgId ?? String(++messageIds);
    const signed = textCallback(settings, { from, content, msgId });
    try {
      const response = await fetch(`http://127.0.0.1:${port}${callbackPath(signed.query)}`, {
        method: 'POST',
        headers: { 'content-type': 'text/xml' },
        body: signed.body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      await response.arrayBuffer();
      return response.status;
    } catch {
      return 0;
    }
  };
  return {
    dir,
    fake,
    settings,
    team,
    env,
    say,
    close: async () => {
      await fake.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function writeRoster(file: string, count: number): Team {
  const rows = ['userid,name,employee_no,roles,supervisor_userid,platform'];
  rows.push('boss,王经理,M001,manager,,wecom');
  const staff: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const supervisor = `sup${Math.floor(i / 20)}`;
    if (i % 20 === 0)
      rows.push(`${supervisor},主管${i / 20},S${100 + i / 20},supervisor,boss,wecom`);
    const userid = `staff${i}`;
    staff.push(userid);
    rows.push(`${userid},员工${i},K${1000 + i},staff,${supervisor},wecom`);
  }
  writeFileSync(file, `${rows.join('\n')}\n`);
  return { manager: 'boss', staff };
}

/** The month to open: the current one in the assessment's time zone. */
export function currentMonth(): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
  }).formatToParts(new Date());
  return `${parts.find((p) => p.type === 'year')?.value}-${parts.find((p) => p.type === 'month')?.value}`;
}

/** What one delivered message is, for counting repeats: its card task_id, or its content. */
function identity(body: Json): string {
  const card = body.template_card as { task_id?: string } | undefined;
  if (card?.task_id) return `card:${card.task_id}`;
  return `${String(body.msgtype)}:${JSON.stringify(body[String(body.msgtype)])}`;
}

/** Delivered cards per person, in delivery order. */
export function cardsOf(fake: FakeWecom, userid: string): Json[] {
  return fake.sent
    .filter((b) => b.touser === userid && b.msgtype === 'template_card')
    .map((b) => b.template_card as Json);
}

/** Reached: people who got at least one card. Duplicated: people who got any message twice. */
export function deliveryFigures(fake: FakeWecom, people: string[]) {
  let reached = 0;
  let duplicated = 0;
  for (const userid of people) {
    const mine = fake.sent.filter((b) => b.touser === userid);
    if (mine.some((b) => b.msgtype === 'template_card')) reached += 1;
    if (new Set(mine.map(identity)).size < mine.length) duplicated += 1;
  }
  const sends = fake.requests.filter((r) => r.path.endsWith('/message/send'));
  return {
    reached,
    duplicated,
    /** Repeats WeCom answered ok without delivering (the duplicate check at work). */
    dropped: sends.filter((r) => r.duplicate).length,
    /** Cards refused as already sent (task_id seen before). */
    taskIdReused: sends.filter((r) => r.errcode === 42014).length,
  };
}
