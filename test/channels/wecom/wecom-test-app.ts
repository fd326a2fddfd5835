/** The WeCom callback routes in a test app, for receiver tests. */
import { silentLogger } from '../../../src/lib/logger';
import type { Clock } from '../../../src/lib/clock';
import type { ChatEvent } from '../../../src/channels/types';
import { registerWecomRoutes } from '../../../src/channels/wecom/receiver';
import type { WecomSettings } from '../../../src/channels/wecom/settings';
import { receiverTestApp, type ReceiverTestApp } from '../../helpers/receiver-test-app';

/** Builds the app; `onEvent` defaults to collecting events. */
export function wecomTestApp(
  settings: WecomSettings,
  options: { clock?: Clock; onEvent?: (event: ChatEvent) => Promise<void> } = {},
): ReceiverTestApp {
  return receiverTestApp(
    (router, onEvent) =>
      registerWecomRoutes(router, {
        settings,
        logger: silentLogger,
        clock: options.clock,
        onEvent,
      }),
    options.onEvent,
  );
}
