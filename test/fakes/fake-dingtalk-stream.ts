/**
 * A fake DingTalk Stream gateway on loopback: the connection-open POST that
 * hands out `{endpoint, ticket}`, and a WebSocket server at that endpoint that
 * pushes CALLBACK frames the way DingTalk does and records the acks the client
 * sends back. It can drop every connection (to test reconnects) or go silent
 * (stop reading, so pings get no pong) to test the health check.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

type Json = Record<string, unknown>;

/** The robot-message topic (TOPIC_ROBOT in the SDK). */
export const FAKE_TOPIC_ROBOT = '/v1.0/im/bot/messages/get';

/** The card-callback topic (TOPIC_CARD in the SDK). */
export const FAKE_TOPIC_CARD = '/v1.0/card/instances/callback';

/** An acknowledgement the client sent: the frame's messageId and its decoded `data`. */
export interface FakeStreamAck {
  messageId: string;
  code: unknown;
  data: unknown;
}

/** One connection-open call: the body the client posted. */
export interface FakeConnectionOpen {
  clientId?: unknown;
  clientSecret?: unknown;
  subscriptions?: unknown;
  ticket: string;
}

export interface FakeDingtalkStream {
  /** URL of the connection-open endpoint, for `startDingtalkStream({ endpoint })`. */
  endpoint: string;
  /** Every connection-open call, in order. */
  opens: FakeConnectionOpen[];
  /** Every ack frame received, in order. */
  acks: FakeStreamAck[];
  /** How many times connection-open was called. */
  connectionOpenCalls(): number;
  /** Open WebSocket connections right now. */
  connectionCount(): number;
  /** Resolves once at least `count` WebSocket connections have been accepted in total. */
  waitForConnections(count: number, timeoutMs?: number): Promise<void>;
  /** Pushes a robot message (the HTTP callback body) to every open connection; returns its messageId. */
  pushRobotMessage(body: Json, messageId?: string): string;
  /**
   * Pushes a card callback (`{outTrackId, userId, content, ...}`) on the card
   * topic to every open connection; returns its messageId.
   */
  pushCardCallback(data: Json, messageId?: string): string;
  /** Sends `text` as-is to every open connection (for malformed frames). */
  pushRaw(text: string): void;
  /** Resolves once an ack for `messageId` has arrived. */
  waitForAck(messageId: string, timeoutMs?: number): Promise<FakeStreamAck>;
  /** Abruptly closes every open connection (the TCP socket, no close frame). */
  dropAll(): void;
  /** Stops reading from every open connection: no pongs, no acks, as a half-dead link. */
  goSilent(): void;
  stop(): Promise<void>;
}

export interface FakeDingtalkStreamOptions {
  clientId?: string;
  clientSecret?: string;
}

/** Starts the fake on 127.0.0.1 with an ephemeral port. */
export async function startFakeDingtalkStream(
  options: FakeDingtalkStreamOptions = {},
): Promise<FakeDingtalkStream> {
  const opens: FakeConnectionOpen[] = [];
  const acks: FakeStreamAck[] = [];
  const tickets = new Set<string>();
  const sockets = new Set<WebSocket>();
  const ackWaiters: { messageId: string; resolve: (ack: FakeStreamAck) => void }[] = [];
  const connectionWaiters: { count: number; resolve: () => void }[] = [];
  let accepted = 0;
  let port = 0;

  const server = createServer((req, res) => {
    void handleHttp(req, res);
  });
  const wss = new WebSocketServer({ noServer: true });

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const reply = (status: number, body: Json): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'POST' || req.url !== '/v1.0/gateway/connections/open') {
      reply(404, { code: 'notFound' });
      return;
    }
    let body: Json;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf-8')) as Json;
    } catch {
      reply(400, { code: 'badJson' });
      return;
    }
    const okId = !options.clientId || body.clientId === options.clientId;
    const okSecret = !options.clientSecret || body.clientSecret === options.clientSecret;
    if (!okId || !okSecret) {
      reply(401, { code: 'invalidClientIdOrSecret' });
      return;
    }
    const ticket = randomUUID();
    tickets.add(ticket);
    opens.push({
      clientId: body.clientId,
      clientSecret: body.clientSecret,
      subscriptions: body.subscriptions,
      ticket,
    });
    reply(200, { endpoint: `ws://127.0.0.1:${port}/stream`, ticket });
  }

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ticket = url.searchParams.get('ticket') ?? '';
    if (url.pathname !== '/stream' || !tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws));
  });

  function onConnection(ws: WebSocket): void {
    sockets.add(ws);
    accepted += 1;
    for (const waiter of [...connectionWaiters]) {
      if (accepted >= waiter.count) {
        connectionWaiters.splice(connectionWaiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
    ws.on('close', () => sockets.delete(ws));
    ws.on('error', () => sockets.delete(ws));
    ws.on('message', (raw) => {
      let frame: Json;
      try {
        frame = JSON.parse(String(raw)) as Json;
      } catch {
        return;
      }
      const headers = (frame.headers ?? {}) as Json;
      if (typeof headers.messageId !== 'string') return;
      let data: unknown = frame.data;
      if (typeof data === 'string') {
        try {
          data = JSON.parse(data);
        } catch {
          // keep the raw string
        }
      }
      const ack: FakeStreamAck = { messageId: headers.messageId, code: frame.code, data };
      acks.push(ack);
      for (const waiter of [...ackWaiters]) {
        if (waiter.messageId === ack.messageId) {
          ackWaiters.splice(ackWaiters.indexOf(waiter), 1);
          waiter.resolve(ack);
        }
      }
    });
  }

  function pushCallback(topic: string, body: Json, messageId: string): string {
    for (const ws of sockets) {
      if (ws.readyState !== ws.OPEN) continue;
      ws.send(
        JSON.stringify({
          specVersion: '1.0',
          type: 'CALLBACK',
          headers: {
            messageId,
            topic,
            contentType: 'application/json',
            time: String(Date.now()),
            appId: 'fake-app-id',
            connectionId: 'fake-connection',
          },
          data: JSON.stringify(body),
        }),
      );
    }
    return messageId;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;

  const withTimeout = <T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`fake stream: timed out waiting for ${what}`)),
        timeoutMs,
      );
      promise.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (err: unknown) => {
          clearTimeout(timer);
          reject(err instanceof Error ? err : new Error(String(err)));
        },
      );
    });

  return {
    endpoint: `http://127.0.0.1:${port}/v1.0/gateway/connections/open`,
    opens,
    acks,
    connectionOpenCalls: () => opens.length,
    connectionCount: () => [...sockets].filter((ws) => ws.readyState === ws.OPEN).length,
    waitForConnections(count, timeoutMs = 5000) {
      if (accepted >= count) return Promise.resolve();
      return withTimeout(
        new Promise<void>((resolve) => connectionWaiters.push({ count, resolve })),
        timeoutMs,
        `${count} connections`,
      );
    },
    pushRobotMessage(body, messageId = `msg-${randomUUID()}`) {
      return pushCallback(FAKE_TOPIC_ROBOT, body, messageId);
    },
    pushCardCallback(data, messageId = `card-${randomUUID()}`) {
      return pushCallback(FAKE_TOPIC_CARD, data, messageId);
    },
    pushRaw(text) {
      for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
    },
    waitForAck(messageId, timeoutMs = 5000) {
      const found = acks.find((ack) => ack.messageId === messageId);
      if (found) return Promise.resolve(found);
      return withTimeout(
        new Promise<FakeStreamAck>((resolve) => ackWaiters.push({ messageId, resolve })),
        timeoutMs,
        `ack of ${messageId}`,
      );
    },
    dropAll() {
      for (const ws of sockets) ws.terminate();
    },
    goSilent() {
      for (const ws of sockets) {
        (ws as unknown as { _socket?: { pause(): void } })._socket?.pause();
      }
    },
    async stop() {
      for (const ws of sockets) ws.terminate();
      sockets.clear();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
