import { DWClient, TOPIC_CARD, TOPIC_ROBOT, type DWClientDownStream } from 'dingtalk-stream';
import type WebSocket from 'ws';
import { isAppError } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import type { ChatEvent, InlineReply } from '../types';
import { cardCallbackResponse, toCardEvent } from './cards';
import { toChatEvent } from './events';
import type { DingtalkSettings } from './settings';

/** What the DingTalk Stream-mode receiver needs from the app. */
export interface DingtalkStreamDeps {
  settings: DingtalkSettings;
  /**
   * Stores the event durably; the message is acknowledged only once it
   * resolves. For a card tap, what it resolves to goes back in the ack and
   * updates the tapped card (DingTalk cannot answer a typed message there).
   */
  onEvent: (event: ChatEvent) => Promise<InlineReply | null | void>;
  logger: Logger;
  /** Connection-open URL; DingTalk's own by default, tests point it at a fake. */
  endpoint?: string;
  /** Reconnect when nothing (message, pong, keepalive) arrived for this long. */
  healthCheckMs?: number;
}

/** A running Stream-mode connection. */
export interface DingtalkStream {
  /** Closes the connection, stops reconnecting and waits for messages being handled. */
  stop(): Promise<void>;
}

/** DingTalk's connection-open endpoint (GATEWAY_URL in the SDK). */
export const DINGTALK_STREAM_ENDPOINT = 'https://api.dingtalk.com/v1.0/gateway/connections/open';
const DEFAULT_HEALTH_CHECK_MS = 90_000;
const OPEN_TIMEOUT_MS = 15_000;
const STOP_CLOSE_WAIT_MS = 1_000;
const SLOW_ACK_MS = 3000;

// The SDK keeps its socket and ws URL private; the subclass below needs both.
interface DWClientInternals {
  socket?: WebSocket;
  dw_url?: string;
}

/**
 * DWClient with what SDK 2.1.5 lacks: its connection-open URL is a constant,
 * so getEndpoint is replaced to honour `endpoint`; a second connect while one
 * is under way or open is skipped (the SDK can schedule two after an error);
 * and every frame, pong and keepalive is noted for the health check.
 */
class StreamClient extends DWClient {
  stopped = false;
  lastActivity = Date.now();
  private connecting = false;
  private readonly opening = new AbortController();

  constructor(
    settings: DingtalkSettings,
    private readonly endpointUrl: string,
    private readonly log: Logger,
  ) {
    // keepAlive stays off: the SDK's own ping interval leaks across reconnects; the watchdog pings instead.
    super({ clientId: settings.appKey, clientSecret: settings.appSecret, keepAlive: false });
  }

  get internals(): DWClientInternals {
    return this as unknown as DWClientInternals;
  }

  override async getEndpoint(): Promise<this> {
    if (this.stopped) throw new Error('dingtalk stream stopped');
    const config = this.getConfig();
    const res = await fetch(this.endpointUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        clientId: config.clientId,
        clientSecret: config.clientSecret,
        ua: config.ua,
        subscriptions: config.subscriptions,
      }),
      signal: AbortSignal.any([this.opening.signal, AbortSignal.timeout(OPEN_TIMEOUT_MS)]),
    });
    if (!res.ok) throw new Error(`dingtalk connection-open failed: HTTP ${res.status}`);
    const body = (await res.json()) as { endpoint?: unknown; ticket?: unknown };
    if (typeof body.endpoint !== 'string' || typeof body.ticket !== 'string') {
      throw new Error('dingtalk connection-open answered without endpoint or ticket');
    }
    if (this.stopped) throw new Error('dingtalk stream stopped');
    this.internals.dw_url = `${body.endpoint}?ticket=${encodeURIComponent(body.ticket)}`;
    return this;
  }

  override async connect(): Promise<void> {
    if (this.stopped || this.connecting || this.connected) return;
    this.connecting = true;
    try {
      await super.connect();
      if (this.connected) this.lastActivity = Date.now();
    } finally {
      this.connecting = false;
    }
  }

  override onDownStream(data: string): void {
    this.lastActivity = Date.now();
    try {
      super.onDownStream(data);
    } catch (err) {
      // The SDK parses frames inside the socket's message handler; a bad one must not crash the process.
      this.log.warn({ err: errorName(err) }, 'dingtalk stream frame unreadable');
    }
  }

  override heartbeat(): void {
    this.lastActivity = Date.now();
    super.heartbeat();
  }

  abortOpening(): void {
    this.opening.abort();
  }
}

/**
 * Receives robot messages over DingTalk Stream mode (an outgoing WebSocket, no
 * inbound port). Each message is turned into a ChatEvent, handed to onEvent
 * and acknowledged once that resolves; a failed onEvent leaves it
 * unacknowledged so DingTalk re-sends it. A watchdog reconnects when the
 * connection has been silent for `healthCheckMs`.
 */
export async function startDingtalkStream(deps: DingtalkStreamDeps): Promise<DingtalkStream> {
  const log = deps.logger.child({ platform: 'dingtalk', mode: 'stream' });
  const healthCheckMs = deps.healthCheckMs ?? DEFAULT_HEALTH_CHECK_MS;
  const client = new StreamClient(deps.settings, deps.endpoint ?? DINGTALK_STREAM_ENDPOINT, log);
  const inFlight = new Set<Promise<void>>();

  const listen = (topic: string, parse: FrameParser): void => {
    client.registerCallbackListener(topic, (message: DWClientDownStream) => {
      const handling = handleMessage(client, message, parse, deps, log)
        .catch((err: unknown) =>
          log.error({ err: errorName(err) }, 'dingtalk stream message failed'),
        )
        .finally(() => inFlight.delete(handling));
      inFlight.add(handling);
    });
  };
  listen(TOPIC_ROBOT, (data, now) => toChatEvent(JSON.parse(data) as unknown, now));
  // Taps on interactive cards sent with callbackType STREAM (see cards.ts).
  listen(TOPIC_CARD, (data, now) => {
    const event = toCardEvent(data, now);
    if (!event) throw new Error('unreadable card callback');
    return event;
  });

  const watchdog = setInterval(
    () => checkHealth(client, healthCheckMs, log),
    Math.max(10, Math.floor(healthCheckMs / 3)),
  );
  watchdog.unref();

  await client.connect();
  if (client.connected) log.info('dingtalk stream connected');
  else log.warn('dingtalk stream not connected yet; retrying');

  return {
    async stop() {
      if (client.stopped) return;
      client.stopped = true;
      clearInterval(watchdog);
      client.abortOpening();
      const socket = client.internals.socket;
      client.disconnect();
      if (socket && socket.readyState !== socket.CLOSED) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            socket.terminate();
            resolve();
          }, STOP_CLOSE_WAIT_MS);
          socket.once('close', () => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      await Promise.allSettled([...inFlight]);
      log.info('dingtalk stream stopped');
    },
  };
}

function checkHealth(client: StreamClient, healthCheckMs: number, log: Logger): void {
  if (client.stopped) return;
  const socket = client.internals.socket;
  const silentMs = Date.now() - client.lastActivity;
  if (silentMs > healthCheckMs) {
    log.warn({ silentMs }, 'dingtalk stream silent; reconnecting');
    client.lastActivity = Date.now();
    if (socket && socket.readyState !== socket.CLOSED) {
      // The SDK's close handler reconnects (autoReconnect) after a second.
      socket.terminate();
    } else {
      void client.connect();
    }
    return;
  }
  // A pong counts as activity (the SDK calls heartbeat on it), so a live but idle link stays up.
  if (client.connected && socket?.readyState === socket?.OPEN) {
    try {
      socket?.ping();
    } catch {
      // the close handler takes it from here
    }
  }
}

/** Turns a frame's `data` into an event, null to drop it, or throws for a malformed one. */
type FrameParser = (data: string, now: Date) => ChatEvent | null;

async function handleMessage(
  client: StreamClient,
  message: DWClientDownStream,
  parse: FrameParser,
  deps: DingtalkStreamDeps,
  log: Logger,
): Promise<void> {
  const messageId = message.headers.messageId;
  const ack = (response: Record<string, unknown> = {}): void => {
    try {
      // The SDK wraps this as `{response: …}` in the frame's data. For a card
      // callback `response` is a CardResponse ({cardData?, userPrivateData?,
      // cardUpdateOptions?}); empty means the card is left as it is.
      client.socketCallBackResponse(messageId, response);
    } catch (err) {
      log.warn({ messageId, err: String(err) }, 'dingtalk stream ack failed');
    }
  };
  let event: ChatEvent | null;
  try {
    event = parse(message.data, new Date());
  } catch (err) {
    // A malformed message will not get better on re-delivery: acknowledge and drop it.
    const code = isAppError(err) ? err.code : 'bad_payload';
    log.warn({ messageId, code }, 'dingtalk stream message refused');
    ack();
    return;
  }
  if (!event) {
    ack();
    log.info({ messageId, kind: 'ignored' }, 'dingtalk stream message');
    return;
  }
  const eventLog = log.child({ eventId: event.id, userId: event.userId, messageId });
  const started = Date.now();
  let reply: InlineReply | null | void;
  try {
    reply = await deps.onEvent(event);
  } catch (err) {
    eventLog.error(
      { kind: event.kind, code: isAppError(err) ? err.code : undefined, err: errorName(err) },
      'dingtalk stream message not stored; left unacknowledged for re-delivery',
    );
    return;
  }
  ack(event.kind === 'action' ? cardCallbackResponse(reply ?? null) : {});
  const elapsedMs = Date.now() - started;
  const answered = reply ? reply.type : undefined;
  if (elapsedMs > SLOW_ACK_MS)
    eventLog.warn({ kind: event.kind, elapsedMs, answered }, 'dingtalk stream ack slow');
  else eventLog.info({ kind: event.kind, elapsedMs, answered }, 'dingtalk stream message');
}

function errorName(err: unknown): string {
  return err instanceof Error ? err.name : typeof err;
}
