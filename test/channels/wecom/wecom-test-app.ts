/** A small Koa app with the WeCom routes and an error boundary like the app's, for receiver tests. */
import Koa from 'koa';
import { Router } from '@koa/router';
import { errorBoundary } from '../../../src/http/error-boundary';
import { silentLogger } from '../../../src/lib/logger';
import type { Clock } from '../../../src/lib/clock';
import type { ChatEvent } from '../../../src/channels/types';
import { registerWecomRoutes } from '../../../src/channels/wecom/receiver';
import type { WecomSettings } from '../../../src/channels/wecom/settings';

/** The app and the events it handed to the bot. */
export interface WecomTestApp {
  callback: ReturnType<Koa['callback']>;
  events: ChatEvent[];
}

/** Builds the app; `onEvent` defaults to collecting events. */
export function wecomTestApp(
  settings: WecomSettings,
  options: { clock?: Clock; onEvent?: (event: ChatEvent) => Promise<void> } = {},
): WecomTestApp {
  const events: ChatEvent[] = [];
  const app = new Koa();
  // The app's own error boundary, so refusals are answered exactly as in production.
  app.use(errorBoundary(silentLogger));
  const router = new Router();
  registerWecomRoutes(router, {
    settings,
    logger: silentLogger,
    clock: options.clock,
    onEvent: options.onEvent ?? (async (event) => void events.push(event)),
  });
  app.use(router.routes()).use(router.allowedMethods());
  app.silent = true;
  return { callback: app.callback(), events };
}
