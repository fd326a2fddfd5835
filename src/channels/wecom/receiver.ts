import type { Router } from '@koa/router';
import type { Context } from 'koa';
import { readCallbackBody } from '../shared/read-body';
import { AppError, isAppError } from '../../lib/errors';
import { systemClock, type Clock } from '../../lib/clock';
import type { Logger } from '../../lib/logger';
import type { Metrics } from '../../lib/metrics';
import { callbackMetrics } from '../../http/callback-metrics';
import type { ChatEvent, InlineReply } from '../types';
import { decryptPayload, isValidSignature } from './crypto';
import { toChatEvent } from './events';
import { passiveReplyXml } from './passive-reply';
import type { WecomSettings } from './settings';
import { assertWellFormedEnvelope, parseWecomXml, refuseDeclarations } from './xml';

/** What the WeCom callback routes need from the app. */
export interface WecomReceiverDeps {
  settings: WecomSettings;
  /**
   * Stores the event durably; the callback is acknowledged only once it
   * resolves. What it resolves to, if anything, is answered passively inside
   * the HTTP response.
   */
  onEvent: (event: ChatEvent) => Promise<InlineReply | null | void>;
  logger: Logger;
  clock?: Clock;
  /** How far the signed timestamp may be from now; replays outside it are refused. Default 1 h. */
  maxClockSkewMs?: number;
  metrics?: Metrics;
}

/** The callback path WeCom is configured with. */
export const WECOM_CALLBACK_PATH = '/wecom/callback';

const BODY_LIMIT = 64 * 1024;
// WeCom gives up after 5 s and delivers again; an answer this slow is worth a warning.
const SLOW_ACK_MS = 3000;
// The only shape an Encrypt value takes (base64); extracted before any XML parser sees the body.
const ENCRYPT =
  /<Encrypt>\s*(?:<!\[CDATA\[([A-Za-z0-9+/=]+)\]\]>|([A-Za-z0-9+/=]+))\s*<\/Encrypt>/g;

/** Mounts GET (URL verification) and POST (messages, card taps) on `/wecom/callback`. */
export function registerWecomRoutes(router: Router, deps: WecomReceiverDeps): void {
  const log = deps.logger.child({ platform: 'wecom' });
  router.get(WECOM_CALLBACK_PATH, (ctx) =>
    logged(log, ctx, async () => {
      const query = signedQuery(ctx, deps);
      const echostr = query.echostr ?? '';
      verify(deps, query, echostr);
      ctx.type = 'text/plain';
      ctx.body = decryptPayload(deps.settings, echostr);
      log.info({ kind: 'url_verification' }, 'wecom callback');
    }),
  );
  router.post(WECOM_CALLBACK_PATH, callbackMetrics(deps.metrics, 'wecom'), (ctx) =>
    logged(log, ctx, async () => {
      const query = signedQuery(ctx, deps);
      const body = await readCallbackBody(ctx, BODY_LIMIT);
      refuseDeclarations(body);
      const encrypted = encryptedPart(body);
      verify(deps, query, encrypted);
      assertWellFormedEnvelope(body); // well-formed XML too, not only a signed Encrypt
      const message = parseWecomXml(decryptPayload(deps.settings, encrypted));
      const event = toChatEvent(message);
      ctx.status = 200;
      ctx.body = '';
      if (!event) {
        log.info({ kind: 'ignored' }, 'wecom callback');
        return;
      }
      const started = Date.now();
      const reply = await deps.onEvent(event);
      if (reply) {
        ctx.type = 'application/xml';
        ctx.body = passiveReplyXml(
          deps.settings,
          event.userId,
          reply,
          (deps.clock ?? systemClock).now(),
        );
      }
      const elapsedMs = Date.now() - started;
      const eventLog = log.child({ eventId: event.id, userId: event.userId });
      const fields = { kind: event.kind, elapsedMs, passive: reply ? reply.type : 'none' };
      if (elapsedMs > SLOW_ACK_MS) eventLog.warn(fields, 'wecom ack slow');
      else eventLog.info(fields, 'wecom callback');
    }),
  );
}

/** Runs a handler, logging a refused callback once (code only, never the payload) before rethrowing. */
async function logged(log: Logger, ctx: Context, handle: () => Promise<void>): Promise<void> {
  try {
    await handle();
  } catch (err) {
    if (isAppError(err)) log.warn({ code: err.code, method: ctx.method }, 'wecom callback refused');
    throw err;
  }
}

type SignedQuery = { timestamp: string; nonce: string; signature: string; echostr?: string };

// Koa's ctx.query decodes '+' as a space, which corrupts base64 values; the
// raw query string is decoded once, by decodeURIComponent, which keeps '+'.
function signedQuery(ctx: Context, deps: WecomReceiverDeps): SignedQuery {
  const values: Record<string, string> = {};
  for (const pair of ctx.querystring.split('&')) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    try {
      values[decodeURIComponent(pair.slice(0, at))] = decodeURIComponent(pair.slice(at + 1));
    } catch {
      throw new AppError('bad_signature', 'query string does not decode');
    }
  }
  const { timestamp, nonce, msg_signature: signature, echostr } = values;
  if (!timestamp || !nonce || !signature || !/^\d{1,12}$/.test(timestamp)) {
    throw new AppError('bad_signature', 'missing or invalid signature parameters');
  }
  const skew = Math.abs((deps.clock ?? systemClock).now().getTime() - Number(timestamp) * 1000);
  if (skew > (deps.maxClockSkewMs ?? 60 * 60 * 1000)) {
    throw new AppError('bad_signature', 'signed timestamp is stale');
  }
  return { timestamp, nonce, signature, echostr };
}

function verify(deps: WecomReceiverDeps, query: SignedQuery, encrypted: string): void {
  if (!encrypted || !isValidSignature(deps.settings.token, query, encrypted)) {
    throw new AppError('bad_signature', 'msg_signature does not match');
  }
}

/** The single Encrypt value of the envelope; two of them would make "what was signed" ambiguous. */
function encryptedPart(body: string): string {
  const matches = [...body.matchAll(ENCRYPT)];
  if (matches.length !== 1) throw new AppError('bad_payload', 'envelope must hold one Encrypt');
  return matches[0]?.[1] ?? matches[0]?.[2] ?? '';
}
