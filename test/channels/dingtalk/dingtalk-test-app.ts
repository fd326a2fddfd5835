/** The DingTalk route in a test app, test settings, and a callback signer. */
import { createHmac } from 'node:crypto';
import { silentLogger } from '../../../src/lib/logger';
import type { Clock } from '../../../src/lib/clock';
import type { ChatEvent } from '../../../src/channels/types';
import { registerDingtalkRoutes } from '../../../src/channels/dingtalk/receiver';
import type { DingtalkSettings } from '../../../src/channels/dingtalk/settings';
import type { StateStore } from '../../../src/state/state-store';
import { receiverTestApp, type ReceiverTestApp } from '../../helpers/receiver-test-app';

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

/** The DingTalk callback route in a test app; `onEvent` defaults to collecting events. */
export function dingtalkTestApp(
  settings: DingtalkSettings,
  options: {
    clock?: Clock;
    onEvent?: (event: ChatEvent) => Promise<void>;
    /** Where used signatures are remembered; without it replays are not refused. */
    state?: StateStore;
  } = {},
): ReceiverTestApp {
  return receiverTestApp(
    (router, onEvent) =>
      registerDingtalkRoutes(router, {
        settings,
        logger: silentLogger,
        clock: options.clock,
        state: options.state,
        onEvent,
      }),
    options.onEvent,
  );
}
