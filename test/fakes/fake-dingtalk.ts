/**
 * A fake DingTalk API on loopback, spoken to over real HTTP: oauth2/accessToken,
 * robot/oToMessages/batchSend, card/instances/createAndDeliver (POST),
 * card/instances (PUT) and a robot message's session webhook
 * (oapi robot/sendBySession). It records what it received and can be told
 * to fail, to flow-control or not know people, and to expire its tokens.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Json = Record<string, unknown>;

/** One request as the fake saw it, and the HTTP status it answered. */
export interface FakeDingtalkRequest {
  path: string;
  token?: string;
  body?: Json;
  status: number;
}

/** The running fake and its controls. */
export interface FakeDingtalk {
  /** Base URL to give the client (no path). */
  apiBase: string;
  /** Accepted batchSend bodies, in order, with msgParam decoded from its JSON string. */
  sent: Json[];
  /**
   * Cards created by createAndDeliver, in order: one per outTrackId. DingTalk keys a
   * card instance by the caller's outTrackId, so a repeated call (a retry after a
   * crash) finds the card it made and creates no second one.
   */
  cards: Json[];
  /** Accepted card update (PUT /v1.0/card/instances) bodies, in order. */
  cardUpdates: Json[];
  /** Accepted session-webhook posts, in order: the session named in the URL, and the body. */
  sessionSent: { session: string; body: Json }[];
  /** A session webhook as DingTalk puts it in a robot message (this fake serves it). */
  sessionWebhook(session: string): string;
  /** Files received by the old API's media/upload (oapi), with the media id handed out. */
  uploads: { type: string; fileName: string; data: Buffer; mediaId: string }[];
  /** Every request, accepted or not. */
  requests: FakeDingtalkRequest[];
  /** How many times accessToken was called. */
  tokenCalls(): number;
  /** Answers `count` batchSend calls with HTTP `status` (500, 429…), after letting `after` through. */
  failNext(count: number, status: number, after?: number): void;
  /** Makes every token issued so far refused with `status` (401 by default) and InvalidAuthentication. */
  expireTokens(status?: number): void;
  /** People batchSend reports in flowControlledStaffIdList. */
  flowControlled: Set<string>;
  /** People batchSend reports in invalidStaffIdList. */
  invalidUsers: Set<string>;
  stop(): Promise<void>;
}

/** What the fake accepts as the app's credentials. */
export interface FakeDingtalkOptions {
  appKey?: string;
  appSecret?: string;
  expireIn?: number;
}

/** Starts the fake on 127.0.0.1 with an ephemeral port. */
export async function startFakeDingtalk(options: FakeDingtalkOptions = {}): Promise<FakeDingtalk> {
  const state = {
    tokens: new Map<string, number | 'valid'>(),
    failures: [] as { count: number; status: number; after: number }[],
    tokenCalls: 0,
    counter: 0,
  };
  const fake = {
    apiBase: '',
    sent: [] as Json[],
    cards: [] as Json[],
    cardUpdates: [] as Json[],
    sessionSent: [] as FakeDingtalk['sessionSent'],
    uploads: [] as FakeDingtalk['uploads'],
    requests: [] as FakeDingtalkRequest[],
    flowControlled: new Set<string>(),
    invalidUsers: new Set<string>(),
  };

  const accessToken = (body: Json): [number, Json] => {
    state.tokenCalls += 1;
    const okKey = !options.appKey || body.appKey === options.appKey;
    const okSecret = !options.appSecret || body.appSecret === options.appSecret;
    if (!okKey || !okSecret) return [400, { code: 'invalidClientIdOrSecret', message: 'bad' }];
    const token = `fake-dt-token-${++state.counter}`;
    state.tokens.set(token, 'valid');
    return [200, { accessToken: token, expireIn: options.expireIn ?? 7200 }];
  };

  const batchSend = (body: Json, token: string): [number, Json] => {
    const failure = state.failures[0];
    if (failure && failure.after > 0) failure.after -= 1;
    else if (failure) {
      if (--failure.count <= 0) state.failures.shift();
      return [failure.status, { code: 'injected', message: 'injected failure' }];
    }
    const tokenState = state.tokens.get(token);
    if (tokenState !== 'valid') {
      const message = '不合法的access_token';
      return [
        typeof tokenState === 'number' ? tokenState : 401,
        { code: 'InvalidAuthentication', message },
      ];
    }
    const userIds = (body.userIds as string[]) ?? [];
    const invalid = userIds.filter((id) => fake.invalidUsers.has(id));
    const limited = userIds.filter((id) => fake.flowControlled.has(id));
    fake.sent.push({ ...body, msgParam: JSON.parse(String(body.msgParam)) });
    return [
      200,
      {
        processQueryKey: `pqk-${++state.counter}`,
        invalidStaffIdList: invalid,
        flowControlledStaffIdList: limited,
      },
    ];
  };

  const tokenRefusal = (token: string): [number, Json] | null => {
    const tokenState = state.tokens.get(token);
    if (tokenState === 'valid') return null;
    const status = typeof tokenState === 'number' ? tokenState : 401;
    return [status, { code: 'InvalidAuthentication', message: '不合法的access_token' }];
  };

  const createAndDeliver = (body: Json, token: string): [number, Json] => {
    const refused = tokenRefusal(token);
    if (refused) return refused;
    if (!fake.cards.some((card) => card.outTrackId === body.outTrackId)) fake.cards.push(body);
    const spaceId = String(body.openSpaceId ?? '').replace(/^dtv1\.card\/\/IM_ROBOT\./, '');
    const deliverResults = [{ spaceType: 'IM_ROBOT', spaceId, success: true, carrierId: 'c1' }];
    return [200, { success: true, result: { outTrackId: body.outTrackId, deliverResults } }];
  };

  const updateCard = (body: Json, token: string): [number, Json] => {
    const refused = tokenRefusal(token);
    if (refused) return refused;
    fake.cardUpdates.push(body);
    return [200, { success: true, result: true }];
  };

  // Answers like DingTalk's webhooks: HTTP 200 with an errcode.
  const sendBySession = (body: Json, token: string, url: URL): [number, Json] => {
    if (tokenRefusal(token)) return [200, { errcode: 300001, errmsg: 'token is not exist' }];
    const session = url.searchParams.get('session') ?? '';
    if (!session) return [200, { errcode: 400002, errmsg: 'session missing' }];
    fake.sessionSent.push({ session, body });
    return [200, { errcode: 0, errmsg: 'ok' }];
  };

  // The old API (oapi) takes files as multipart with the token in the query.
  const upload = async (req: IncomingMessage, raw: Buffer, url: URL): Promise<[number, Json]> => {
    const refused = tokenRefusal(url.searchParams.get('access_token') ?? '');
    if (refused) return [200, { errcode: 40014, errmsg: 'invalid access_token' }];
    const form = await new Response(new Uint8Array(raw), {
      headers: { 'content-type': req.headers['content-type'] ?? '' },
    }).formData();
    const media = form.get('media');
    if (!(media instanceof Blob)) return [200, { errcode: 40004, errmsg: 'media missing' }];
    const mediaId = `@media-${fake.uploads.length + 1}`;
    const type = url.searchParams.get('type') ?? '';
    fake.uploads.push({
      type,
      fileName: (media as File).name,
      data: Buffer.from(await media.arrayBuffer()),
      mediaId,
    });
    return [200, { errcode: 0, errmsg: 'ok', type, media_id: mediaId, created_at: Date.now() }];
  };

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = await readAll(req);
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname;
    if (req.method === 'POST' && path === '/media/upload') {
      const [status, json] = await upload(req, raw, url);
      fake.requests.push({ path, status });
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
      return;
    }
    const token = req.headers['x-acs-dingtalk-access-token'] as string | undefined;
    const body = raw.length ? (JSON.parse(raw.toString('utf8')) as Json) : {};
    const record: FakeDingtalkRequest = { path, token, body, status: 0 };
    fake.requests.push(record);
    let answer: [number, Json] = [404, { code: 'NotFound', message: path }];
    if (req.method === 'POST' && path === '/v1.0/oauth2/accessToken') answer = accessToken(body);
    if (req.method === 'POST' && path === '/v1.0/robot/oToMessages/batchSend') {
      answer = batchSend(body, token ?? '');
    }
    if (req.method === 'POST' && path === '/v1.0/card/instances/createAndDeliver') {
      answer = createAndDeliver(body, token ?? '');
    }
    if (req.method === 'POST' && path === '/robot/sendBySession') {
      answer = sendBySession(body, token ?? '', url);
    }
    if (req.method === 'PUT' && path === '/v1.0/card/instances')
      answer = updateCard(body, token ?? '');
    record.status = answer[0];
    res.writeHead(answer[0], { 'content-type': 'application/json' }).end(JSON.stringify(answer[1]));
  };

  const server = createServer((req, res) => {
    serve(req, res).catch((err: Error) => res.writeHead(500).end(err.message));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.apiBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    ...fake,
    tokenCalls: () => state.tokenCalls,
    sessionWebhook: (session) => `${fake.apiBase}/robot/sendBySession?session=${session}`,
    failNext: (count, status, after = 0) => void state.failures.push({ count, status, after }),
    expireTokens: (status = 401) =>
      state.tokens.forEach((_v, token) => state.tokens.set(token, status)),
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
