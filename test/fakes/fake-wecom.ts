/**
 * A fake WeCom API on loopback, spoken to over real HTTP: gettoken, message/send,
 * message/update_template_card and media/upload. It records what it received and
 * can be told to fail, to be down, or to be slow.
 *
 * message/send models WeCom's duplicate check: with `enable_duplicate_check: 1`, a
 * request whose bytes equal one accepted within its `duplicate_check_interval`
 * (default 1800 s) is answered ok, with the first answer's msgid, and not delivered
 * again. Bytes, not parsed JSON: stricter than WeCom may be, so a body whose key order
 * drifts between tries shows up as a second delivery. A card whose task_id was
 * delivered before, outside that check, is refused with 42014 as WeCom does.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Json = Record<string, unknown>;

/** One request as the fake saw it; `errcode` is what it answered (undefined when down). */
export interface FakeRequest {
  method: string;
  path: string;
  body?: Json;
  errcode?: number;
  /** message/send answered ok as a duplicate, not delivered. */
  duplicate?: boolean;
}

/** A file received by media/upload. */
export interface FakeUpload {
  type: string;
  fileName: string;
  data: Buffer;
  mediaId: string;
}

/** The running fake and its controls. */
export interface FakeWecom {
  /** Base URL to give the client, ending in /cgi-bin. */
  apiBase: string;
  /** message/send bodies delivered to the person, in order (duplicates left out). */
  sent: Json[];
  /** Accepted update_template_card bodies, in order. */
  updates: Json[];
  uploads: FakeUpload[];
  /** Every request, accepted or not. */
  requests: FakeRequest[];
  /** How many times gettoken was called. */
  tokenCalls(): number;
  /** Answers each call but gettoken with `errcode` with probability `rate` (0 stops it). */
  failRandomly(rate: number, errcode: number, random?: () => number): void;
  /** Answers the next `count` calls (to `path`, or to any API but gettoken) with `errcode`. */
  failNext(count: number, errcode: number, path?: string): void;
  /** 'http503' answers 503; 'reset' drops the connection; false is back up. */
  setDown(mode: false | 'http503' | 'reset'): void;
  setLatency(ms: number): void;
  /** Makes every token issued so far answer 42001 (expired). */
  expireTokens(): void;
  /** People WeCom does not know: sends to them come back in `invaliduser`. */
  invalidUsers: Set<string>;
  /** The errcode that comes with `invaliduser` when every recipient is invalid (81013, or 0). */
  setInvalidUserErrcode(errcode: number): void;
  stop(): Promise<void>;
}

/** What the fake accepts as the app's credentials. */
export interface FakeWecomOptions {
  corpId?: string;
  secret?: string;
  expiresIn?: number;
  /** false: no duplicate check and no task_id guard, to measure what they prevent. */
  guards?: boolean;
  /** The fake's clock for the duplicate check (default Date.now). */
  now?: () => number;
}

/** Starts the fake on 127.0.0.1 with an ephemeral port. */
export async function startFakeWecom(options: FakeWecomOptions = {}): Promise<FakeWecom> {
  const state = {
    tokens: new Map<string, 'valid' | 'expired'>(),
    failures: [] as { count: number; errcode: number; path?: string }[],
    down: false as false | 'http503' | 'reset',
    latencyMs: 0,
    invalidUserErrcode: 81013,
    tokenCalls: 0,
    counter: 0,
    random: { rate: 0, errcode: -1, next: Math.random },
    /** Accepted send bodies by their bytes: when, and what was answered. */
    accepted: new Map<string, { at: number; reply: Json }>(),
    taskIds: new Set<string>(),
  };
  const now = options.now ?? Date.now;
  const fake = {
    apiBase: '',
    sent: [] as Json[],
    updates: [] as Json[],
    uploads: [] as FakeUpload[],
    requests: [] as FakeRequest[],
    invalidUsers: new Set<string>(),
  };

  const handlers: Record<string, (url: URL, req: IncomingMessage, raw: Buffer) => Promise<Json>> = {
    '/cgi-bin/gettoken': async (url) => {
      state.tokenCalls += 1;
      const okCorp = !options.corpId || url.searchParams.get('corpid') === options.corpId;
      const okSecret = !options.secret || url.searchParams.get('corpsecret') === options.secret;
      if (!okCorp || !okSecret) return { errcode: 40001, errmsg: 'invalid credential' };
      const token = `fake-token-${++state.counter}`;
      state.tokens.set(token, 'valid');
      return {
        errcode: 0,
        errmsg: 'ok',
        access_token: token,
        expires_in: options.expiresIn ?? 7200,
      };
    },
    '/cgi-bin/message/send': async (_url, _req, raw) => {
      const body = JSON.parse(raw.toString('utf8')) as Json;
      const bytes = raw.toString('utf8');
      const earlier = state.accepted.get(bytes);
      const intervalMs = 1000 * Number(body.duplicate_check_interval ?? 1800);
      const guards = options.guards ?? true;
      if (
        guards &&
        body.enable_duplicate_check === 1 &&
        earlier &&
        now() - earlier.at < intervalMs
      ) {
        fake.requests[fake.requests.length - 1]!.duplicate = true;
        return earlier.reply;
      }
      const taskId = (body.template_card as { task_id?: string } | undefined)?.task_id;
      if (guards && taskId && state.taskIds.has(taskId))
        return { errcode: 42014, errmsg: 'task_id already exist' };
      const invalid = String(body.touser ?? '')
        .split('|')
        .filter((user) => fake.invalidUsers.has(user));
      const allInvalid =
        invalid.length > 0 && invalid.length === String(body.touser).split('|').length;
      if (allInvalid && state.invalidUserErrcode !== 0) {
        const errmsg = 'user & party & tag all invalid';
        return { errcode: state.invalidUserErrcode, errmsg, invaliduser: invalid.join('|') };
      }
      fake.sent.push(body);
      const reply: Json = { errcode: 0, errmsg: 'ok', msgid: `msg-${++state.counter}` };
      if (invalid.length > 0) reply.invaliduser = invalid.join('|');
      if (body.msgtype === 'template_card') reply.response_code = `rc-${state.counter}`;
      if (taskId) state.taskIds.add(taskId);
      if (body.enable_duplicate_check === 1) state.accepted.set(bytes, { at: now(), reply });
      return reply;
    },
    '/cgi-bin/message/update_template_card': async (_url, _req, raw) => {
      fake.updates.push(JSON.parse(raw.toString('utf8')) as Json);
      return { errcode: 0, errmsg: 'ok', invaliduser: [] };
    },
    '/cgi-bin/media/upload': async (url, req, raw) => {
      const form = await new Response(new Uint8Array(raw), {
        headers: { 'content-type': req.headers['content-type'] ?? '' },
      }).formData();
      const media = form.get('media');
      if (!(media instanceof Blob)) return { errcode: 41001, errmsg: 'media missing' };
      const mediaId = `media-${++state.counter}`;
      const fileName = (media as File).name ?? '';
      const type = url.searchParams.get('type') ?? '';
      fake.uploads.push({ type, fileName, data: Buffer.from(await media.arrayBuffer()), mediaId });
      return { errcode: 0, errmsg: 'ok', type, media_id: mediaId, created_at: `${Date.now()}` };
    },
  };

  // Every API but gettoken needs a token the fake issued and has not expired.
  const tokenError = (url: URL): Json | null => {
    if (url.pathname === '/cgi-bin/gettoken') return null;
    const status = state.tokens.get(url.searchParams.get('access_token') ?? '');
    if (status === 'valid') return null;
    return status === 'expired'
      ? { errcode: 42001, errmsg: 'access_token expired' }
      : { errcode: 40014, errmsg: 'invalid access_token' };
  };

  const injectedFailure = (path: string): Json | null => {
    const { rate, errcode, next } = state.random;
    if (rate > 0 && path !== '/cgi-bin/gettoken' && next() < rate)
      return { errcode, errmsg: 'injected failure' };
    const failure = state.failures.find((f) =>
      f.path ? path.endsWith(f.path) : path !== '/cgi-bin/gettoken',
    );
    if (!failure) return null;
    failure.count -= 1;
    if (failure.count <= 0) state.failures.splice(state.failures.indexOf(failure), 1);
    return { errcode: failure.errcode, errmsg: 'injected failure' };
  };

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = await readAll(req);
    const url = new URL(req.url ?? '/', 'http://fake');
    const record: FakeRequest = { method: req.method ?? '', path: url.pathname };
    if (req.headers['content-type']?.includes('json'))
      record.body = JSON.parse(raw.toString('utf8'));
    fake.requests.push(record);
    if (state.latencyMs) await new Promise((resolve) => setTimeout(resolve, state.latencyMs));
    if (state.down === 'reset') return void req.socket.destroy();
    if (state.down === 'http503') return void res.writeHead(503).end('service unavailable');
    const handler = handlers[url.pathname];
    if (!handler) return void res.writeHead(404).end('not found');
    const reply =
      injectedFailure(url.pathname) ?? tokenError(url) ?? (await handler(url, req, raw));
    record.errcode = Number(reply.errcode ?? 0);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
  };

  const server = createServer((req, res) => {
    serve(req, res).catch((err: Error) => res.writeHead(500).end(err.message));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.apiBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cgi-bin`;

  return {
    ...fake,
    tokenCalls: () => state.tokenCalls,
    failRandomly: (rate, errcode, random = Math.random) =>
      void (state.random = { rate, errcode, next: random }),
    failNext: (count, errcode, path) => void state.failures.push({ count, errcode, path }),
    setDown: (mode) => void (state.down = mode),
    setLatency: (ms) => void (state.latencyMs = ms),
    setInvalidUserErrcode: (errcode) => void (state.invalidUserErrcode = errcode),
    expireTokens: () => state.tokens.forEach((_v, token) => state.tokens.set(token, 'expired')),
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
