/**
 * The callback benchmark's floor: the least any WeCom receiver must do for a
 * message — verify the signature, decrypt, parse the XML and store one
 * document in the same database as the bot — with nothing of the bot's own.
 */
import Koa from 'koa';
import getRawBody from 'raw-body';
import type { Connection } from 'mongoose';
import { decryptPayload, isValidSignature } from '../../src/channels/wecom/crypto';
import type { WecomSettings } from '../../src/channels/wecom/settings';
import { parseWecomXml } from '../../src/channels/wecom/xml';

/** A Koa app answering POST callbacks with an empty 200 once the message is stored. */
export function floorApp(settings: WecomSettings, connection: Connection): Koa {
  const stored = connection.collection('bench_floor');
  const app = new Koa();
  app.use(async (ctx) => {
    const envelope = parseWecomXml(await getRawBody(ctx.req, { encoding: 'utf8' }));
    const encrypted = String(envelope.Encrypt);
    const q = ctx.query as Record<string, string>;
    const query = { timestamp: q.timestamp!, nonce: q.nonce!, signature: q.msg_signature! };
    if (!isValidSignature(settings.token, query, encrypted)) ctx.throw(401);
    const message = parseWecomXml(decryptPayload(settings, encrypted));
    await stored.insertOne({ ...message, receivedAt: new Date() });
    ctx.body = '';
    ctx.status = 200;
  });
  return app;
}
