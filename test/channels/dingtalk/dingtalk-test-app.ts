/** A small Koa app with the DingTalk route and an error boundary like the app's, plus a callback signer. */
import { createHmac } from 'node:crypto';
import Koa from 'koa';
import { Router } from '@koa/router';
import { errorBoundary } from '../../../src/http/error-boundary';
import { silentLogger } from '../../../src/lib/logger';
import type { Clock } from '../../../src/lib/clock';
import type { ChatEvent } from '../../../src/channels/types';
import { registerDingtalkRoutes } from '../../../src/channels/dingtalk/receiver';
import type { DingtalkSettings } from '../../../src/channels/dingtalk/settings';

/** Settings for tests; the fake API's base URL goes in `apiBase`. */
export function testDingtalkSettings(overrides: Partial<DingtalkSettings> = {}): DingtalkSettings {
  return {
    appKey: 'dingtestappkey',
    appSecret: 'test-app-secret-Zx9',
    robotCode: 'dingtestappkey',
    apiBase: 'http://127.0.0.1:9',
    ...overrides,
  };
}

/** The headers DingTalk puts on a callback, computed independently of the receiver's code. */
export function signedHeaders(appSecret: string, timestampMs: number): Record<string, string> {
  const timestamp = String(timestampMs);
  const sign = createHmac('sha256', appSecret)
    .update(`${timestamp}\n${appSecret}`, 'utf8')
    .digest('base64');
  return { timestamp, sign };
}

/** The app and the events it handed to the bot. */
export interface DingtalkTestApp {
  callback: ReturnType<Koa['callback']>;
  events: ChatEvent[];
}

/** Builds the app; `onEvent` defaults to collecting events. */
export function dingtalkTestApp(
  settings: DingtalkSettings,
  options: { clock?: Clock; onEvent?: (event: ChatEvent) => Promise<void> } = {},
): DingtalkTestApp {
  const events: ChatEvent[] = [];
  const app = new Koa();
  // The app's own error boundary, so refusals are answered exactly as in production.
  app.use(errorBoundary(silentLogger));
  const router = new Router();
  registerDingtalkRoutes(router, {
    settings,
    logger: silentLogger,
    clock: options.clock,
    onEvent: options.onEvent ?? (async (event) => void events.push(event)),
  });
  app.use(router.routes()).use(router.allowedMethods());
  app.silent = true;
  return { callback: app.callback(), events };
}
