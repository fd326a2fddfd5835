import type { Router } from '@koa/router';
import type { Context } from 'koa';
import { systemClock, type Clock } from '../../lib/clock';
import { readCallbackBody } from '../shared/read-body';
import { AppError, isAppError } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import type { Metrics } from '../../lib/metrics';
import { callbackMetrics } from '../../http/callback-metrics';
import type { ChatEvent, InlineReply } from '../types';
import { toChatEvent } from './events';
import type { DingtalkSettings } from './settings';
import { isValidCallbackSignature } from './signature';
import type { StateStore } from '../../state/state-store';

/** What the DingTalk callback route needs from the app. */
export interface DingtalkReceiverDeps {
  settings: DingtalkSettings;
  /** Stores the event durably; the callback is acknowledged only once it resolves. */
  onEvent: (event: ChatEvent) => Promise<InlineReply | null | void>;
  logger: Logger;
  clock?: Clock;
  /** Where used signatures are remembered (shared by every instance); without it, replays are not refused. */
  state?: StateStore;
  metrics?: Metrics;
}

/** The callback path the robot's HTTP mode is configured with. */
export const DINGTALK_CALLBACK_PATH = '/dingtalk/callback';

const BODY_LIMIT = 64 * 1024;
// DingTalk refuses signatures older than an hour itself; a replay outside that window is refused here too.
const MAX_CLOCK_SKEW_MS = 60 * 60 * 1000;
// An acknowledgement this slow risks DingTalk's timeout and a redelivery; worth a warning.
const SLOW_ACK_MS = 3000;

/** Mounts POST `/dingtalk/callback` (robot messages, HTTP mode). */
export function registerDingtalkRoutes(router: Router, deps: DingtalkReceiverDeps): void {
  const log = deps.logger.child({ platform: 'dingtalk' });
  router.post(DINGTALK_CALLBACK_PATH, callbackMetrics(deps.metrics, 'dingtalk'), async (ctx) => {
    try {
      await handle(ctx, deps, log);
    } catch (err) {
      if (isAppError(err)) log.warn({ code: err.code }, 'dingtalk callback refused');
      throw err;
    }
  });
}

async function handle(ctx: Context, deps: DingtalkReceiverDeps, log: Logger): Promise<void> {
  const now = (deps.clock ?? systemClock).now();
  verify(ctx, deps.settings.appSecret, now);
  // The signature does not cover the body, so a captured timestamp/sign pair could carry any
  // message for an hour: each pair is taken once. The mark is taken atomically before the event
  // is handled (a get-then-set lets simultaneous replays through), and given back when storing
  // the event fails, so DingTalk's own retry of that delivery can still go through.
  const seenKey = `dingtalk:signature:${ctx.get('timestamp')}:${ctx.get('sign')}`;
  if (deps.state && !(await deps.state.setIfAbsent(seenKey, '1', 2 * MAX_CLOCK_SKEW_MS))) {
    throw new AppError('bad_signature', 'signature already used (replay)');
  }
  const event = toChatEvent(parseJson(await readCallbackBody(ctx, BODY_LIMIT)), now);
  if (!event) {
    ctx.status = 200;
    ctx.body = {};
    log.info({ kind: 'ignored' }, 'dingtalk callback');
    return;
  }
  const started = Date.now();
  try {
    await deps.onEvent(event);
  } catch (err) {
    await deps.state?.delete(seenKey);
    throw err;
  }
  ctx.status = 200;
  ctx.body = {};
  const elapsedMs = Date.now() - started;
  const eventLog = log.child({ eventId: event.id, userId: event.userId });
  if (elapsedMs > SLOW_ACK_MS) eventLog.warn({ kind: event.kind, elapsedMs }, 'dingtalk ack slow');
  else eventLog.info({ kind: event.kind, elapsedMs }, 'dingtalk callback');
}

// The signature covers only the timestamp, not the body, so it is checked before any byte is read.
function verify(ctx: Context, appSecret: string, now: Date): void {
  const timestamp = ctx.get('timestamp');
  const sign = ctx.get('sign');
  if (!/^\d{1,15}$/.test(timestamp) || !sign) {
    throw new AppError('bad_signature', 'missing or invalid timestamp/sign headers');
  }
  if (Math.abs(now.getTime() - Number(timestamp)) > MAX_CLOCK_SKEW_MS) {
    throw new AppError('bad_signature', 'signed timestamp is stale');
  }
  if (!isValidCallbackSignature(appSecret, timestamp, sign)) {
    throw new AppError('bad_signature', 'sign does not match');
  }
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new AppError('bad_payload', 'callback body is not JSON');
  }
}
