import type { Logger } from '../../lib/logger';
import type { StateStore } from '../../state/state-store';
import { RetryableSendError } from '../types';
import { TokenCache, type IssuedToken } from '../shared/token-cache';
import {
  DingtalkApiError,
  FLOW_CONTROL_RETRY_MS,
  isTokenError,
  OAPI_TOKEN_ERRORS,
  refusal,
  SERVER_ERROR_RETRY_MS,
  type Reply,
} from './api-errors';
import type { DingtalkSettings } from './settings';

export { DingtalkApiError } from './api-errors';

/** What batchSend reports back when every recipient was accepted. */
export interface BatchSendResult {
  /** DingTalk's id for this send, used to query read status or recall it. */
  processQueryKey?: string;
}

/** Dependencies of the API client; fetch is injectable for tests. */
export interface DingtalkClientOptions {
  settings: DingtalkSettings;
  state: StateStore;
  logger: Logger;
  fetch?: typeof fetch;
  /** Per-request timeout; a slower answer counts as a network failure. Default 10 s. */
  timeoutMs?: number;
}

const BATCH_SEND = '/v1.0/robot/oToMessages/batchSend';
const CARD_CREATE_AND_DELIVER = '/v1.0/card/instances/createAndDeliver';
const CARD_INSTANCES = '/v1.0/card/instances';
const ACCESS_TOKEN = '/v1.0/oauth2/accessToken';

/** The DingTalk server API (api.dingtalk.com, v1.0) for one internal app's robot. */
export class DingtalkClient {
  private readonly tokens: TokenCache;
  private readonly fetch: typeof fetch;
  private readonly apiBase: string;
  private readonly oapiBase: string;

  constructor(private readonly options: DingtalkClientOptions) {
    const { settings } = options;
    this.apiBase = settings.apiBase.replace(/\/+$/, '');
    this.oapiBase = oapiFor(this.apiBase);
    this.fetch = options.fetch ?? globalThis.fetch;
    this.tokens = new TokenCache({
      state: options.state,
      key: `dingtalk:token:${settings.appKey}`,
      issue: () => this.issueToken(),
      logger: options.logger.child({ platform: 'dingtalk' }),
    });
  }

  /** The settings this client was built with (the messenger needs the robotCode for cards). */
  get settings(): DingtalkSettings {
    return this.options.settings;
  }

  /**
   * Sends one robot message to people in one-to-one chats. Throws a
   * DingtalkApiError when a recipient is unknown, a RetryableSendError when one
   * is flow-controlled; meant for one recipient per call, since with several a
   * throw does not say who did get the message.
   */
  async batchSend(
    userIds: string[],
    msgKey: string,
    msgParam: Record<string, unknown>,
  ): Promise<BatchSendResult> {
    const { robotCode } = this.options.settings;
    // msgParam travels as a JSON string inside the JSON body: that is the API's shape.
    const body = JSON.stringify({ robotCode, userIds, msgKey, msgParam: JSON.stringify(msgParam) });
    const reply = await this.authorized(BATCH_SEND, body);
    const invalid = stringList(reply.invalidStaffIdList);
    if (invalid.length > 0) {
      throw new DingtalkApiError(BATCH_SEND, 200, 'invalidStaffIdList', invalid.join(','));
    }
    const limited = stringList(reply.flowControlledStaffIdList);
    if (limited.length > 0) {
      throw new RetryableSendError(
        `dingtalk ${BATCH_SEND}: flow-controlled ${limited.join(',')}`,
        FLOW_CONTROL_RETRY_MS,
      );
    }
    const key = reply.processQueryKey;
    return typeof key === 'string' ? { processQueryKey: key } : {};
  }

  /**
   * Creates an interactive card from a template and delivers it
   * (POST /v1.0/card/instances/createAndDeliver; body built by cards.ts).
   * Throws a DingtalkApiError when DingTalk reports a delivery as failed.
   */
  async createAndDeliverCard(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const reply = await this.authorized(CARD_CREATE_AND_DELIVER, JSON.stringify(body));
    const result = reply.result as { deliverResults?: unknown } | undefined;
    const deliveries = Array.isArray(result?.deliverResults) ? result.deliverResults : [];
    const failed = deliveries.find(
      (d): d is { errorMsg?: unknown } =>
        typeof d === 'object' && d !== null && (d as { success?: unknown }).success === false,
    );
    if (failed) {
      const detail = String(failed.errorMsg ?? '');
      throw new DingtalkApiError(CARD_CREATE_AND_DELIVER, 200, 'deliverFailed', detail);
    }
    return reply;
  }

  /**
   * Uploads a file or an image for a robot message; returns its media id.
   * Only DingTalk's old API (oapi) takes uploads: same app token, token in the query.
   */
  async uploadMedia(type: 'file' | 'image', fileName: string, data: Buffer): Promise<string> {
    const path = '/media/upload';
    for (let attempt = 1; ; attempt++) {
      const token = await this.tokens.get();
      const form = new FormData();
      form.append('media', new Blob([new Uint8Array(data)]), fileName);
      let reply: Record<string, unknown>;
      try {
        const response = await this.fetch(
          `${this.oapiBase}${path}?access_token=${encodeURIComponent(token)}&type=${type}`,
          {
            method: 'POST',
            body: form,
            signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
          },
        );
        if (response.status >= 500)
          throw new RetryableSendError(
            `dingtalk ${path}: HTTP ${response.status}`,
            SERVER_ERROR_RETRY_MS,
          );
        reply = (await response.json()) as Record<string, unknown>;
      } catch (err) {
        if (err instanceof RetryableSendError) throw err;
        throw new RetryableSendError(`dingtalk ${path}: network error (${(err as Error).name})`);
      }
      const errcode = Number(reply.errcode ?? 0);
      if (errcode === 0 && typeof reply.media_id === 'string') return reply.media_id;
      if (OAPI_TOKEN_ERRORS.has(errcode) && attempt === 1) {
        await this.tokens.invalidate(token);
        continue;
      }
      throw new DingtalkApiError(path, 200, String(errcode), String(reply.errmsg ?? ''));
    }
  }

  /**
   * Answers a conversation through its session webhook (a robot message's
   * reply address). Only DingTalk's own host is posted to, since the request
   * carries the app's token and the address came in a callback body.
   */
  async sendBySession(url: string, body: Record<string, unknown>): Promise<void> {
    const path = '/robot/sendBySession';
    if (!this.isSessionWebhook(url)) {
      throw new DingtalkApiError(path, 0, 'foreignWebhook', 'session webhook is not on DingTalk');
    }
    const token = await this.tokens.get();
    const headers = { 'x-acs-dingtalk-access-token': token };
    const reply = await this.request(path, JSON.stringify(body), headers, 'POST', url);
    if (reply.status !== 200) throw refusal(path, reply);
    const errcode = Number(reply.body.errcode ?? 0);
    if (errcode === 0) return;
    const detail = String(reply.body.errmsg ?? '');
    // 130101: sent too fast; like flow control, it passes.
    if (errcode === 130101)
      throw new RetryableSendError(`dingtalk ${path}: ${detail}`, FLOW_CONTROL_RETRY_MS);
    throw new DingtalkApiError(path, 200, String(errcode), detail);
  }

  /** Whether `url` is on DingTalk's own webhook host (oapi), the only one sendBySession posts to. */
  isSessionWebhook(url: string): boolean {
    try {
      return new URL(url).origin === new URL(this.oapiBase).origin;
    } catch {
      return false;
    }
  }

  /**
   * POSTs JSON to the old API (oapi, token in the query), where the directory
   * lives (topapi/v2/department/listsub, topapi/v2/user/list…); answers `result`.
   */
  async oapiPost(path: string, body: Record<string, unknown>): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      const token = await this.tokens.get();
      const url = `${this.oapiBase}${path}?access_token=${encodeURIComponent(token)}`;
      const reply = await this.request(path, JSON.stringify(body), {}, 'POST', url);
      if (reply.status !== 200) throw refusal(path, reply);
      const errcode = Number(reply.body.errcode ?? 0);
      if (errcode === 0) return reply.body.result;
      if (OAPI_TOKEN_ERRORS.has(errcode) && attempt === 1) {
        await this.tokens.invalidate(token);
        continue;
      }
      const detail = String(reply.body.errmsg ?? '');
      if (errcode === -1)
        throw new RetryableSendError(`dingtalk ${path}: ${detail}`, SERVER_ERROR_RETRY_MS);
      throw new DingtalkApiError(path, 200, String(errcode), detail);
    }
  }

  /** Updates a card's data by its outTrackId (PUT /v1.0/card/instances; body built by cards.ts). */
  async updateCard(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    return this.authorized(CARD_INSTANCES, JSON.stringify(body), 'PUT');
  }

  // One retry with a fresh token when DingTalk refuses the cached one (expired or revoked early).
  private async authorized(
    path: string,
    body: string,
    method: 'POST' | 'PUT' = 'POST',
  ): Promise<Record<string, unknown>> {
    for (let attempt = 1; ; attempt++) {
      const token = await this.tokens.get();
      const reply = await this.request(
        path,
        body,
        { 'x-acs-dingtalk-access-token': token },
        method,
      );
      if (reply.status >= 200 && reply.status < 300) return reply.body;
      if (isTokenError(reply) && attempt === 1) {
        this.options.logger.warn({ platform: 'dingtalk', path }, 'dingtalk token refused');
        await this.tokens.invalidate(token);
        continue;
      }
      throw refusal(path, reply);
    }
  }

  private async issueToken(): Promise<IssuedToken> {
    const { appKey, appSecret } = this.options.settings;
    const reply = await this.request(ACCESS_TOKEN, JSON.stringify({ appKey, appSecret }), {});
    const { accessToken, expireIn } = reply.body;
    if (reply.status !== 200 || typeof accessToken !== 'string') throw refusal(ACCESS_TOKEN, reply);
    return { accessToken, expiresIn: Number(expireIn) || 7200 };
  }

  // Requests carry the token or the secret: neither reaches an error message or a log line.
  private async request(
    path: string,
    body: string,
    headers: Record<string, string>,
    method: 'POST' | 'PUT' = 'POST',
    // A full address (a session webhook); errors name only `path`, never it.
    url = `${this.apiBase}${path}`,
  ): Promise<Reply> {
    let response: Response;
    try {
      response = await this.fetch(url, {
        method,
        headers: { 'content-type': 'application/json', ...headers },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (err) {
      const reason = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
      throw new RetryableSendError(`dingtalk ${path}: network error (${reason})`);
    }
    const text = await response.text().catch(() => '');
    let parsed: unknown = {};
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      if (response.ok) throw new RetryableSendError(`dingtalk ${path}: answer is not JSON`);
    }
    const isObject = typeof parsed === 'object' && parsed !== null;
    return { status: response.status, body: isObject ? (parsed as Record<string, unknown>) : {} };
  }
}

/** The old API's host for an API base: api.dingtalk.com → oapi.dingtalk.com; another host (a test fake) serves both. */
function oapiFor(apiBase: string): string {
  return apiBase.replace('//api.dingtalk.com', '//oapi.dingtalk.com');
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
