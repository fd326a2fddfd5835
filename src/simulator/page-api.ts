import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { monthOf } from '../assessment/month';
import type { Clock } from '../lib/clock';
import { readBody } from '../channels/shared/read-body';
import { userError } from '../lib/errors';
import type { PeopleRepository } from '../store/repositories/people';
import type { MonthRepository } from '../store/repositories/months';
import type { CallbackSender } from './callback-sender';
import type { ChatEntry } from './chat-log';
import { BrokenPassiveReply, type PassiveReply } from './passive-reply';
import { cardKeys, cardOptions } from './card-fields';
import type { ChatLog } from './chat-log';
import { loadDemoTeam } from './demo-team';
import type { EventStreams } from './event-stream';
import type { MonthControls } from './month-controls';

/** What the page's API works with. */
export interface PageApiDeps {
  people: PeopleRepository;
  months: MonthRepository;
  chats: ChatLog;
  sender: CallbackSender;
  controls: MonthControls;
  streams: EventStreams;
  clock: Clock;
  timeZone: string;
}

const MAX_BODY_BYTES = 64 * 1024;
const messageBody = z.object({ text: z.string().trim().min(1).max(2000) });
const tapBody = z.object({
  eventKey: z.string().min(1).max(128),
  selected: z
    .array(z.object({ questionKey: z.string().max(128), optionIds: z.array(z.string().max(128)) }))
    .max(20),
});

/** The page's API: who is on the roster, each person's chat, typing, tapping, the demo and fast-forward. */
export function registerPageApi(router: Router, deps: PageApiDeps): void {
  const base = '/simulator/api';

  router.get(`${base}/overview`, async (ctx) => {
    // People on DingTalk chat there, not here: the simulator plays WeCom only.
    const people = (await deps.people.all()).filter((p) => p.active && p.platform === 'wecom');
    const month = await deps.months.latest();
    ctx.body = {
      people: people.map(({ userid, name, employeeNo, roles }) => ({
        userid,
        name,
        employeeNo,
        roles,
      })),
      currentMonth: monthOf(deps.clock.now(), deps.timeZone),
      month: month ? { key: month.key, status: month.status } : null,
    };
  });

  router.post(`${base}/demo`, async (ctx) => {
    await loadDemoTeam(deps.people, deps.clock);
    ctx.body = { ok: true };
  });

  const controls = {
    open: () => deps.controls.open(),
    remind: () => deps.controls.remind(),
    close: () => deps.controls.close(),
  };
  for (const [action, run] of Object.entries(controls)) {
    router.post(`${base}/month/${action}`, async (ctx) => {
      ctx.body = { text: await run() };
    });
  }

  router.get(`${base}/events`, (ctx) => deps.streams.serve(ctx));

  router.get(`${base}/chats/:userid`, async (ctx) => {
    ctx.body = { entries: deps.chats.chatOf(await activePerson(deps, ctx.params.userid!)) };
  });

  router.post(`${base}/chats/:userid/messages`, async (ctx) => {
    const userid = await activePerson(deps, ctx.params.userid!);
    const { text } = await readJson(ctx, messageBody, '请输入要发送的内容（最多 2000 字）。');
    // Shown only once the bot took it, as a messenger shows a message only once it is sent.
    const reply = await deliver(() => deps.sender.text(userid, text));
    const entry = deps.chats.add({ userid, from: 'user', kind: 'text', text }, deps.clock.now());
    showPassive(deps, reply, null);
    ctx.body = { entry };
  });

  router.post(`${base}/chats/:userid/cards/:entryId`, async (ctx) => {
    const userid = await activePerson(deps, ctx.params.userid!);
    const tap = await readJson(ctx, tapBody, '卡片的选择不完整。');
    const entry = deps.chats.get(ctx.params.entryId!);
    if (!entry || entry.userid !== userid || !entry.card)
      throw userError('not_found', '找不到这张卡片。');
    if (entry.replacedLabel !== undefined || entry.card.replace_text !== undefined)
      throw userError('conflict', '这张卡片已经提交过了。');
    const options = cardOptions(entry.card);
    const valid =
      cardKeys(entry.card).includes(tap.eventKey) &&
      tap.selected.every((s) => s.optionIds.every((id) => options.get(s.questionKey)?.has(id)));
    if (!valid) throw userError('invalid_input', '卡片上没有这个选项。');
    // Every tap brings a fresh response code, as WeCom's do, also on a card replaced in place.
    const reply = await deliver(() =>
      deps.sender.cardTap(userid, {
        taskId: String(entry.card!.task_id ?? ''),
        cardType: String(entry.card!.card_type ?? ''),
        eventKey: tap.eventKey,
        responseCode: deps.chats.issueCode(entry.id),
        selected: tap.selected,
      }),
    );
    showPassive(deps, reply, entry);
    ctx.body = { ok: true };
  });
}

// A passive reply WeCom would drop shows as an error on the page, never as a crash;
// what the person sent was still delivered (the callback answered 200).
async function deliver(send: () => Promise<PassiveReply | null>): Promise<PassiveReply | null> {
  try {
    return await send();
  } catch (err) {
    if (err instanceof BrokenPassiveReply)
      throw userError('unavailable', `消息已送达，但机器人的被动回复无法打开（${err.message}）。`);
    throw err;
  }
}

/** Shows a passive reply as WeCom does: a text in the chat, or the tapped card changed in place. */
function showPassive(
  deps: PageApiDeps,
  reply: PassiveReply | null,
  tapped: ChatEntry | null,
): void {
  if (!reply) return;
  if (reply.type === 'text') {
    if (tapped) throw userError('unavailable', '机器人对卡片点击回复了文字，企业微信不会显示。');
    deps.chats.add(
      { userid: reply.toUser, from: 'bot', kind: 'text', text: reply.text },
      deps.clock.now(),
    );
    return;
  }
  if (!tapped) throw userError('unavailable', '机器人对文字消息回复了卡片更新，企业微信不会显示。');
  if (reply.type === 'label') deps.chats.update(tapped.id, { replacedLabel: reply.label });
  else deps.chats.update(tapped.id, { card: reply.card, replacedLabel: undefined });
}

async function activePerson(deps: PageApiDeps, userid: string): Promise<string> {
  const person = await deps.people.byUserid(userid);
  if (!person?.active || person.platform !== 'wecom')
    throw userError('not_found', '名单里没有这个人。');
  return person.userid;
}

async function readJson<T>(ctx: Context, schema: z.ZodType<T>, problem: string): Promise<T> {
  const raw = await readBody(ctx, MAX_BODY_BYTES);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw userError('bad_request', problem);
  }
  const result = schema.safeParse(parsed);
  if (!result.success) throw userError('invalid_input', problem);
  return result.data;
}
