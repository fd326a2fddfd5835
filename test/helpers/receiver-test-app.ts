/** A small Koa app around one receiver, with the app's own error boundary, for receiver tests. */
import Koa from 'koa';
import { Router } from '@koa/router';
import type { ChatEvent } from '../../src/channels/types';
import { errorBoundary } from '../../src/http/error-boundary';
import { silentLogger } from '../../src/lib/logger';

/** The app and the events it handed to the bot. */
export interface ReceiverTestApp {
  callback: ReturnType<Koa['callback']>;
  events: ChatEvent[];
}

/** Builds the app; `register` mounts the receiver, whose events are collected unless `onEvent` is given. */
export function receiverTestApp(
  register: (router: Router, onEvent: (event: ChatEvent) => Promise<void>) => void,
  onEvent?: (event: ChatEvent) => Promise<void>,
): ReceiverTestApp {
  const events: ChatEvent[] = [];
  const app = new Koa();
  // Refusals are answered exactly as in production.
  app.use(errorBoundary(silentLogger));
  const router = new Router();
  register(router, onEvent ?? (async (event) => void events.push(event)));
  app.use(router.routes()).use(router.allowedMethods());
  app.silent = true;
  return { callback: app.callback(), events };
}
