/**
 * The simulator's answer time: a message typed on the page until the bot's
 * reply is in that person's chat (page API → signed callback → inbox → flow →
 * outbox → WecomClient → the simulator's WeCom API), next to a bare Koa
 * endpoint and to the page API's own answer (the callback accepted and stored).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Koa from 'koa';
import { loadConfig } from '../../config';
import { silentLogger } from '../../src/lib/logger';
import { importRoster } from '../../src/roster/import-roster';
import { startKaohe } from '../../src/start';
import { RedisStateStore } from '../../src/state/redis-state-store';
import { measure, type Measurement } from './measure';

/** Runs the benchmark: `messages` typed by as many different people (WeCom allows 30 a minute to one). */
export async function benchSimulator(options: {
  messages: number;
  concurrency: number;
  redisUrl: string;
  mongodbUri?: string;
}) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kaohe-bench-sim-'));
  const config = loadConfig({
    PORT: '0',
    DATA_DIR: dataDir,
    CRON_ENABLED: 'false',
    SIMULATOR: 'on',
    ...(options.mongodbUri ? { MONGODB_URI: options.mongodbUri } : {}),
  });
  const state = RedisStateStore.connect(options.redisUrl, `kaohe-bench-sim:${Date.now()}:`);
  const running = await startKaohe(config, silentLogger, { state });
  const url = `http://127.0.0.1:${running.port}`;
  const staff = Array.from({ length: options.messages * 3 }, (_, i) => `bench${i}`);
  const roster = [
    'userid,name,employee_no,roles,supervisor_userid,platform',
    'boss,经理,B0,manager|supervisor,,wecom',
    ...staff.map((u, i) => `${u},员工${i},E${i},staff,boss,wecom`),
  ].join('\n');
  const imported = await importRoster(roster, running.kaohe.people, 'bench', new Date());
  if (!imported.ok) throw new Error('bench roster refused');

  // Resolves when the bot's first reply to `userid` is in the simulated chat.
  const waiting = new Map<string, () => void>();
  running.simulator!.chats.subscribe((entry) => {
    if (entry.from === 'bot') waiting.get(entry.userid)?.();
  });
  const replied = (userid: string) => new Promise<void>((resolve) => waiting.set(userid, resolve));
  const type = (userid: string) =>
    fetch(`${url}/simulator/api/chats/${userid}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: '进度' }),
    });

  const bare = new Koa().use((ctx) => void (ctx.status = 200));
  const bareServer = bare.listen(0);
  const bareUrl = `http://127.0.0.1:${(bareServer.address() as AddressInfo).port}`;
  const batch = (n: number) => staff.slice(n * options.messages, (n + 1) * options.messages);

  // Each run starts with the bot idle: the replies to the run before are all in.
  const typeAll = async (name: string, users: string[]) => {
    const replies = Promise.all(users.map(replied));
    const result = await measure(
      name,
      users.map((u) => () => type(u)),
      options.concurrency,
    );
    await replies;
    return result;
  };
  await typeAll('warm-up', batch(0).slice(0, 50));
  const results: Measurement[] = [];
  results.push(
    await measure(
      'bare Koa endpoint',
      batch(1).map(() => () => fetch(bareUrl)),
      options.concurrency,
    ),
  );
  results.push(await typeAll('page API: message accepted', batch(1)));
  results.push(
    await measure(
      'typed until the reply is in chat',
      batch(2).map((u) => async () => {
        const reply = replied(u);
        const answer = await type(u);
        await reply;
        return answer;
      }),
      options.concurrency,
    ),
  );

  bareServer.close();
  await running.stop();
  rmSync(dataDir, { recursive: true, force: true });
  return { results, database: options.mongodbUri ? 'MongoDB' : 'embedded' };
}
