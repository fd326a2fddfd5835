/**
 * Callback benchmark: how many WeCom callbacks per second the bot verifies,
 * decrypts and stores (durably, before answering), next to two floors
 * measured in the same run: an endpoint doing only what any receiver must
 * (verify, decrypt, parse, insert one document into the same database) and a
 * bare Koa endpoint. The load comes from a process of its own (load.ts).
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { fork } from 'node:child_process';
import { join } from 'node:path';
import Koa from 'koa';
import { loadConfig } from '../../config';
import { createApp } from '../../src/http/app';
import { createKaohe } from '../../src/compose';
import { systemClock } from '../../src/lib/clock';
import { silentLogger } from '../../src/lib/logger';
import { RedisStateStore } from '../../src/state/redis-state-store';
import { createModels, ensureIndexes } from '../../src/store/models';
import mongoose from 'mongoose';
import { importRoster } from '../../src/roster/import-roster';
import { floorApp } from './callback-floor';
import { startEmbeddedChild, type EmbeddedChild } from './embedded-child';
import type { LoadJob, LoadMark, LoadResult, LoadTarget } from './load';
import { row } from './measure';

// WeCom's own sample credentials (PLATFORMS.md); nothing here talks to WeCom.
const WECOM = {
  WECOM_CORP_ID: 'ww1436e0e65a779aee',
  WECOM_AGENT_ID: '1000002',
  WECOM_SECRET: 'bench-secret',
  WECOM_TOKEN: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo',
  WECOM_ENCODING_AES_KEY: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt',
  WECOM_API_BASE: 'http://127.0.0.1:9/cgi-bin',
};

/** Runs the callback benchmark and returns its rows. */
export async function benchCallbacks(options: {
  requests: number;
  concurrency: number;
  redisUrl: string;
  mongodbUri?: string;
}) {
  const config = loadConfig({
    ...WECOM,
    ...(options.mongodbUri ? { MONGODB_URI: options.mongodbUri } : {}),
  });
  // The embedded database runs in a process of its own, for the bot and the floor alike.
  const embedded = options.mongodbUri ? null : await startEmbeddedChild();
  const uri = options.mongodbUri ?? embedded!.uri;
  const connection = await mongoose
    .createConnection(uri, { dbName: `kaohe_bench_${Date.now()}` })
    .asPromise();
  const models = createModels(connection);
  await ensureIndexes(models);
  const state = RedisStateStore.connect(options.redisUrl, `kaohe-bench:${Date.now()}:`);
  const kaohe = createKaohe({ config, models, state, clock: systemClock, logger: silentLogger });
  const app = createApp({
    logger: silentLogger,
    health: { mongo: async () => true, state },
    routes: kaohe.routes,
  });

  const bare = new Koa();
  bare.use(async (ctx) => {
    ctx.body = '';
    ctx.status = 200;
  });

  const servers = [
    await listen(app),
    await listen(floorApp(config.wecom!, connection)),
    await listen(bare),
  ];
  const [botUrl, floorUrl, bareUrl] = servers.map(
    (s) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`,
  ) as [string, string, string];
  // People on the roster, so that 帮助 is answered inside the callback (the passive reply).
  const imported = await importRoster(
    benchRoster(PASSIVE_PEOPLE),
    kaohe.people,
    'bench',
    new Date(),
  );
  if (!imported.ok) throw new Error(`bench roster refused: ${imported.problems[0]?.message}`);

  const n = options.requests;
  const target = (name: string, url: string, firstMsgId: number, content?: string) =>
    ({
      name,
      url,
      firstMsgId,
      requests: n,
      warmup: WARMUP,
      ...(content ? { content } : {}),
    }) as LoadTarget;
  const load = await runLoad(embedded, {
    settings: config.wecom!,
    concurrency: options.concurrency,
    senders: PASSIVE_PEOPLE,
    targets: [
      target('bare Koa endpoint', bareUrl, 8_100_000),
      target('floor (verify+decrypt+parse+insert)', floorUrl, 8_200_000),
      target('WeCom callback (the bot)', botUrl, 9_000_000),
      target('WeCom callback, passive reply', botUrl, 9_100_000, '帮助'),
    ],
  });
  const { results, cpu } = load;
  const passive = load.withBody[3]!;
  const stored = await models.inbox.countDocuments();
  // Handled to the end (marked done with its answer), not only stored.
  const done = await models.inbox.countDocuments({ status: 'done' });

  for (const server of servers) await new Promise((r) => server.close(r));
  await connection.dropDatabase();
  await connection.close();
  await state.close();
  await embedded?.stop();
  return {
    results,
    cpu,
    stored,
    done,
    passive,
    database: options.mongodbUri ? 'MongoDB' : 'embedded',
  };
}

function listen(app: Koa): Promise<Server> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server));
  });
}

const PASSIVE_PEOPLE = 500;
/** Unmeasured callbacks before each endpoint's measured ones. */
export const WARMUP = 6000;
const ROSTER_HEADER = 'userid,name,employee_no,roles,supervisor_userid,platform';

/** A roster CSV of `n` staff whose userids match the sealed callbacks' senders. */
function benchRoster(n: number): string {
  const rows = Array.from({ length: n }, (_, i) =>
    i === 0 ? 'user0,主管0,B0,supervisor,,wecom' : `user${i},员工${i},B${i},staff,user0,wecom`,
  );
  return [ROSTER_HEADER, ...rows].join('\n');
}

/**
 * CPU time a callback took, in ms: in the servers' process, and in the
 * embedded database's (null on MongoDB); and the database commands a callback
 * sent (callbacks in flight together share some, see GroupCommit).
 */
export interface CallbackCpu {
  serverMs: number;
  databaseMs: number | null;
  commands: number;
}

// Every command mongoose sends, the bot's and the floor's (its collection is mongoose's too).
let commandsSent = 0;

/**
 * Runs the job in a forked load generator and waits for its measurements;
 * at each end of a target's run it reads the CPU time this process (the
 * servers) and the database's process have used, for CPU time per callback.
 */
function runLoad(
  embedded: EmbeddedChild | null,
  job: LoadJob,
): Promise<LoadResult & { cpu: CallbackCpu[] }> {
  const child = fork(join(__dirname, 'load.ts'), [], { execArgv: ['--import', 'tsx'] });
  const readings: { server: number; database: number | null; commands: number }[] = [];
  mongoose.set('debug', () => void (commandsSent += 1));
  const micros = (u: NodeJS.CpuUsage) => u.user + u.system;
  const read = async () => ({
    server: micros(process.cpuUsage()),
    database: embedded ? micros(await embedded.cpuUsage()) : null,
    commands: commandsSent,
  });
  return new Promise((resolve, reject) => {
    child.on('message', (message) => {
      if ((message as LoadMark).mark) {
        void read().then((r) => {
          readings.push(r);
          child.send('go');
        });
        return;
      }
      const result = message as LoadResult;
      const cpu = job.targets.map((target, i) => {
        const [start, end] = [readings[2 * i]!, readings[2 * i + 1]!];
        const per = (a: number | null, b: number | null) =>
          a === null || b === null ? null : (b - a) / 1000 / target.requests;
        return {
          serverMs: per(start.server, end.server)!,
          databaseMs: per(start.database, end.database),
          commands: (end.commands - start.commands) / target.requests,
        };
      });
      mongoose.set('debug', false);
      resolve({ ...result, cpu });
    });
    child.once('error', reject);
    child.once('exit', (code) => code !== 0 && reject(new Error(`load generator exited ${code}`)));
    child.send(job);
  });
}

export { row };
