import { FormData, request } from 'undici';
import type { Logger } from '../../lib/logger';
import type { StateStore } from '../../state/state-store';
import { RetryableSendError, SendRefusedError } from '../types';
import type { WecomSettings } from './settings';
import { TokenCache, type IssuedToken } from '../shared/token-cache';

/** A WeCom API answer: errcode 0 on success, plus whatever the endpoint returns. */
export interface WecomReply {
  errcode?: number;
  errmsg?: string;
  [field: string]: unknown;
}

/** A refusal from WeCom that will not pass by retrying (bad recipient, bad card, no permission…). */
export class WecomApiError extends SendRefusedError {
  constructor(
    readonly errcode: number,
    errmsg: string,
    readonly path: string,
  ) {
    super(`wecom ${path} failed: errcode ${errcode} ${errmsg}`);
    this.name = 'WecomApiError';
  }
}

/** Dependencies of the API client; sleep is injectable for tests. */
export interface WecomClientOptions {
  settings: WecomSettings;
  state: StateStore;
  logger: Logger;
  sleep?: (ms: number) => Promise<void>;
  /** Per-request timeout; a slower answer counts as a network failure. Default 10 s. */
  timeoutMs?: number;
}

type Payload = { body: string | FormData; json: boolean };

// The token was refused: expired (42001), invalid (40014), or no longer valid (40001).
const TOKEN_ERRORS = new Set([40001, 40014, 42001]);
// WeCom busy (-1) or frequency limit (45009): worth a few quick tries, then a later retry.
const BUSY_ERRORS = new Set([-1, 45009]);
const MAX_BUSY_TRIES = 3;
const BACKOFF_MS = 500;

/** The WeCom server API for one self-built app: token handling, retries, messages, cards, media. */
export class WecomClient {
  readonly agentId: number;
  private readonly tokens: TokenCache;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly apiBase: string;

  constructor(private readonly options: WecomClientOptions) {
    const { settings } = options;
    this.agentId = settings.agentId;
    this.apiBase = settings.apiBase.replace(/\/+$/, '');
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.tokens = new TokenCache({
      state: options.state,
      key: `wecom:token:${settings.corpId}:${settings.agentId}`,
      issue: () => this.issueToken(),
      logger: options.logger,
    });
  }

  /** POST /message/send; the reply carries msgid, invaliduser and, for cards, response_code. */
  sendMessage(body: Record<string, unknown>): Promise<WecomReply> {
    return this.call('/message/send', () => ({ body: JSON.stringify(body), json: true }));
  }

  /** POST /message/update_template_card. */
  updateTemplateCard(body: Record<string, unknown>): Promise<WecomReply> {
    return this.call('/message/update_template_card', () => ({
      body: JSON.stringify(body),
      json: true,
    }));
  }

  /** Uploads a temporary medium (valid 3 days) and returns its media_id. */
  async uploadMedia(type: 'file' | 'image', fileName: string, data: Buffer): Promise<string> {
    const reply = await this.call(`/media/upload?type=${type}`, () => {
      const form = new FormData();
      form.append('media', new Blob([new Uint8Array(data)]), fileName);
      return { body: form, json: false };
    });
    if (typeof reply.media_id !== 'string')
      throw new WecomApiError(0, 'no media_id', '/media/upload');
    return reply.media_id;
  }

  /** GET an API, `path` with its own query (the directory's reads: department/simplelist, user/list…). */
  get(path: string): Promise<WecomReply> {
    return this.call(path, null);
  }

  // `payload` null: a GET without a body.
  private async call(path: string, payload: (() => Payload) | null): Promise<WecomReply> {
    let tokenRetried = false;
    for (let busyTry = 1; ;) {
      const token = await this.tokens.get();
      const separator = path.includes('?') ? '&' : '?';
      const url = `${this.apiBase}${path}${separator}access_token=${encodeURIComponent(token)}`;
      const { body, json } = payload ? payload() : { body: undefined, json: false };
      const reply = await this.request(path, url, {
        method: payload ? 'POST' : 'GET',
        headers: json ? { 'content-type': 'application/json' } : {},
        body,
      });
      const errcode = reply.errcode ?? 0;
      if (errcode === 0) return reply;
      if (TOKEN_ERRORS.has(errcode) && !tokenRetried) {
        tokenRetried = true;
        await this.tokens.invalidate(token);
        continue;
      }
      if (BUSY_ERRORS.has(errcode)) {
        this.options.logger.warn({ path, errcode, attempt: busyTry }, 'wecom busy');
        if (busyTry >= MAX_BUSY_TRIES) {
          const retryAfterMs = errcode === 45009 ? 60_000 : 5_000;
          throw new RetryableSendError(
            `wecom ${path}: errcode ${errcode} after ${busyTry} tries`,
            retryAfterMs,
          );
        }
        await this.sleep(BACKOFF_MS * 2 ** (busyTry - 1));
        busyTry += 1;
        continue;
      }
      throw new WecomApiError(errcode, reply.errmsg ?? '', path.split('?')[0] ?? path);
    }
  }

  private async issueToken(): Promise<IssuedToken> {
    const { corpId, secret } = this.options.settings;
    const query = `corpid=${encodeURIComponent(corpId)}&corpsecret=${encodeURIComponent(secret)}`;
    const reply = await this.request('/gettoken', `${this.apiBase}/gettoken?${query}`, {
      method: 'GET',
      headers: {},
    });
    const errcode = reply.errcode ?? 0;
    if (errcode !== 0 || typeof reply.access_token !== 'string') {
      if (BUSY_ERRORS.has(errcode))
        throw new RetryableSendError(`wecom /gettoken: errcode ${errcode}`, 5_000);
      throw new WecomApiError(errcode, reply.errmsg ?? 'no access_token', '/gettoken');
    }
    return { accessToken: reply.access_token, expiresIn: Number(reply.expires_in) || 7200 };
  }

  // URLs carry the access token or the secret: they never reach an error message or a log line.
  // undici's request rather than fetch: a fan-out makes thousands of calls, and fetch's web
  // streams and abort signals cost about as much CPU again as the call itself.
  private async request(
    path: string,
    url: string,
    init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string | FormData },
  ): Promise<WecomReply> {
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    let response: Awaited<ReturnType<typeof request>>;
    try {
      response = await request(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      const e = err as { code?: string; cause?: { code?: string }; name?: string };
      throw new RetryableSendError(
        `wecom ${path}: network error (${e.code ?? e.cause?.code ?? e.name})`,
      );
    }
    if (response.statusCode < 200 || response.statusCode > 299) {
      await response.body.dump();
      throw new RetryableSendError(`wecom ${path}: HTTP ${response.statusCode}`);
    }
    try {
      return (await response.body.json()) as WecomReply;
    } catch {
      throw new RetryableSendError(`wecom ${path}: answer is not JSON`);
    }
  }
}
