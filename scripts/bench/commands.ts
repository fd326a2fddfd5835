/**
 * Database commands per answer (issue 16: at most 6): one person fills a
 * self-assessment by tapping each criterion card, another by typing each
 * score. Every command mongoose sends from the POST of a callback until its
 * handling has finished (the passive reply given, the inbox marked done) is
 * counted through mongoose's debug hook. The pollers are not started, so
 * nothing else runs meanwhile. A count, so it needs no floor.
 */
import { startBenchBot } from './bench-bot';
import { monthOf } from '../../src/assessment/month';
import { importRoster } from '../../src/roster/import-roster';
import { openPassiveReply } from '../../src/simulator/passive-reply';
import { recordCommands } from '../../test/helpers/command-log';
import {
  callbackPath,
  cardClickCallback,
  testWecomSettings,
  textCallback,
  type SignedCallback,
} from '../../test/helpers/wecom-callback';

type Json = Record<string, unknown>;
let msgId = 8_000_000;

/** The commands of each answer of one kind, in order. */
export interface CommandCounts {
  answers: string[][];
  max: number;
  mean: number;
}

/** Runs the command-count benchmark for taps and typed scores. */
export async function benchCommands(options: { redisUrl: string; mongodbUri?: string }) {
  const { fake, settings, config, kaohe, url, stop } = await startBenchBot({
    name: 'commands',
    redisUrl: options.redisUrl,
    mongodbUri: options.mongodbUri,
  });
  const csv = [
    'userid,name,employee_no,roles,supervisor_userid,platform',
    'sup0,主管,P0,supervisor,,wecom',
    't0,员工0,E0,staff,sup0,wecom',
    't1,员工1,E1,staff,sup0,wecom',
  ].join('\n');
  const imported = await importRoster(csv, kaohe.people, 'bench', new Date());
  if (!imported.ok) throw new Error(`commands roster refused: ${imported.problems[0]?.message}`);
  await kaohe.months.openMonth(
    monthOf(new Date(), config.timeZone),
    config.assessment,
    'bench',
    new Date(),
  );

  const post = async (callback: SignedCallback, user: string) => {
    const { result, commands } = await recordCommands(async () => {
      const answer = await fetch(`${url}${callbackPath(callback.query)}`, {
        method: 'POST',
        headers: { 'content-type': 'text/xml' },
        body: callback.body,
      });
      const body = await answer.text();
      await kaohe.answered();
      return body;
    });
    return { reply: openPassiveReply(settings, result, user), commands };
  };
  const say = (from: string, content: string) =>
    post(textCallback(settings, { from, content, msgId: String(++msgId) }), from);

  // By taps: the first card comes through the API, each next one replaces it inside the callback.
  await say('t0', '/self');
  await kaohe.settle();
  let card = fake.sent.at(-1)!.template_card as Json;
  const taps: string[][] = [];
  for (let no = 1; no <= 11; no++) {
    const { reply, commands } = await post(tap(settings, card), 't0');
    taps.push(commands);
    if (reply?.type === 'card') card = reply.card;
  }
  // By typing: each next question comes back as text inside the callback.
  await say('t1', '/self');
  await kaohe.settle();
  const typed: string[][] = [];
  for (let no = 1; no <= 11; no++) typed.push((await say('t1', '4')).commands);

  await stop();
  return {
    database: options.mongodbUri ? 'MongoDB' : 'embedded',
    taps: summarize(taps),
    typed: summarize(typed),
  };
}

function tap(settings: ReturnType<typeof testWecomSettings>, card: Json): SignedCallback {
  const options = (card.checkbox as { option_list: { id: string }[] }).option_list;
  return cardClickCallback(settings, {
    from: 't0',
    taskId: String(card.task_id),
    eventKey: String((card.submit_button as Json).key),
    questionKey: String((card.checkbox as Json).question_key),
    optionIds: [options.at(-1)!.id],
    responseCode: `rc-${++msgId}`,
    createTime: Math.floor(Date.now() / 1000) + msgId,
  });
}

function summarize(answers: string[][]): CommandCounts {
  const counts = answers.map((a) => a.length);
  return {
    answers,
    max: Math.max(...counts),
    mean: counts.reduce((a, b) => a + b, 0) / counts.length,
  };
}
