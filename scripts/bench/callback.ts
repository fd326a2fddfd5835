/**
 * Callback benchmark: how many WeCom callbacks per second the bot verifies,
 * decrypts and stores (durably, before answering), next to a bare Koa endpoint
 * measured in the same run on the same machine.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import Koa from 'koa';
import { encrypt, getSignature } from '@wecom/crypto';
import { loadConfig } from '../../config';
import { createApp } from '../../src/http/app';
import { createKaohe } from '../../src/compose';
import { systemClock } from '../../src/lib/clock';
import { silentLogger } from '../../src/lib/logger';
import { RedisStateStore } from '../../src/state/redis-state-store';
import { startEmbeddedMongo } from '@kaohe/embedded-mongo';
import { createModels, ensureIndexes } from '../../src/store/models';
import mongoose from 'mongoose';
import { importRoster } from '../../src/roster/import-roster';
import { measure, row, type Measurement } from './measure';

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
  const embedded = options.mongodbUri ? null : await startEmbeddedMongo();
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

  const [botServer, bareServer] = [await listen(app), await listen(bare)];
  const botUrl = `http://127.0.0.1:${(botServer.address() as AddressInfo).port}`;
  const bareUrl = `http://127.0.0.1:${(bareServer.address() as AddressInfo).port}`;
  const callbacks = Array.from({ length: options.requests }, (_, i) => sealed(i));
  const warm = Array.from({ length: 200 }, (_, i) => sealed(options.requests + i));
  await measure(
    'warm-up',
    warm.map((c) => () => post(botUrl, c)),
    options.concurrency,
  );

  const results: Measurement[] = [];
  results.push(
    await measure(
      'bare Koa endpoint',
      callbacks.map(() => () => fetch(`${bareUrl}/`, { method: 'POST', body: '<xml/>' })),
      options.concurrency,
    ),
  );
  results.push(
    await measure(
      'WeCom callback (verify+decrypt+store)',
      callbacks.map((c) => () => post(botUrl, c)),
      options.concurrency,
    ),
  );
  // The same path when the answer goes back inside the response: people on the
  // roster asking for 帮助, timed from the POST to the passive reply in hand.
  const imported = await importRoster(
    benchRoster(PASSIVE_PEOPLE),
    kaohe.people,
    'bench',
    new Date(),
  );
  if (!imported.ok) throw new Error(`bench roster refused: ${imported.problems[0]?.message}`);
  let passive = 0;
  results.push(
    await measure(
      'WeCom callback, passive reply',
      callbacks.map((_, i) => () => post(botUrl, sealed(options.requests * 2 + i, '帮助'))),
      options.concurrency,
      (body) => void (passive += body.byteLength > 0 ? 1 : 0),
    ),
  );
  const stored = await models.inbox.countDocuments();

  await new Promise((r) => botServer.close(r));
  await new Promise((r) => bareServer.close(r));
  await connection.dropDatabase();
  await connection.close();
  await state.close();
  await embedded?.stop();
  return { results, stored, passive, database: options.mongodbUri ? 'MongoDB' : 'embedded' };
}

function listen(app: Koa): Promise<Server> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server));
  });
}

const PASSIVE_PEOPLE = 500;
const ROSTER_HEADER = 'userid,name,employee_no,roles,supervisor_userid,platform';

/** A roster CSV of `n` staff whose userids match the sealed callbacks' senders. */
function benchRoster(n: number): string {
  const rows = Array.from({ length: n }, (_, i) =>
    i === 0 ? 'user0,主管0,B0,supervisor,,wecom' : `user${i},员工${i},B${i},staff,user0,wecom`,
  );
  return [ROSTER_HEADER, ...rows].join('\n');
}

function sealed(i: number, content = String(i % 11)) {
  const xml =
    `<xml><ToUserName><![CDATA[${WECOM.WECOM_CORP_ID}]]></ToUserName><FromUserName><![CDATA[user${i % 500}]]></FromUserName>` +
    `<CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[text]]></MsgType>` +
    `<Content><![CDATA[${content}]]></Content><MsgId>${9_000_000 + i}</MsgId><AgentID>1000002</AgentID></xml>`;
  const encrypted = encrypt(WECOM.WECOM_ENCODING_AES_KEY, xml, WECOM.WECOM_CORP_ID);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = randomBytes(4).toString('hex');
  const signature = getSignature(WECOM.WECOM_TOKEN, timestamp, nonce, encrypted);
  const query = `msg_signature=${signature}&timestamp=${timestamp}&nonce=${nonce}`;
  const body = `<xml><ToUserName><![CDATA[${WECOM.WECOM_CORP_ID}]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>`;
  return { query, body };
}

function post(base: string, c: { query: string; body: string }): Promise<Response> {
  return fetch(`${base}/wecom/callback?${c.query}`, {
    method: 'POST',
    body: c.body,
    headers: { 'content-type': 'text/xml' },
  });
}

export { row };
