/**
 * How the DingTalk API says no, and which of its refusals pass by waiting:
 * shared by every call the client makes, new API and old.
 */
import { RetryableSendError, SendRefusedError } from '../types';

/** An API answer: its HTTP status and its JSON body (empty when it had none). */
export type Reply = { status: number; body: Record<string, unknown> };

/** How long to wait after flow control; DingTalk does not say, and a minute keeps retries from piling on. */
export const FLOW_CONTROL_RETRY_MS = 60_000;
/** How long to wait after a server error. */
export const SERVER_ERROR_RETRY_MS = 5_000;

/** A refusal from DingTalk that will not pass by retrying (bad recipient, bad template, no permission…). */
export class DingtalkApiError extends SendRefusedError {
  constructor(
    readonly path: string,
    readonly status: number,
    readonly code: string,
    detail: string,
  ) {
    super(`dingtalk ${path} failed: HTTP ${status} ${code} ${detail}`.trim());
    this.name = 'DingtalkApiError';
  }
}

/** The old API's token errors: invalid, expired, and "access_token is missing or wrong". */
export const OAPI_TOKEN_ERRORS = new Set([40014, 42001, 88]);

/** Whether DingTalk refused the token itself: 401, or 400/403 with code InvalidAuthentication. */
export function isTokenError({ status, body }: Reply): boolean {
  if (status === 401) return true;
  const code = String(body.code ?? '');
  return (status === 400 || status === 403) && /InvalidAuthentication|token/i.test(code);
}

/** The error for a failed reply: retryable when DingTalk is busy or down, a refusal otherwise. */
export function refusal(path: string, { status, body }: Reply): Error {
  if (status === 429)
    return new RetryableSendError(`dingtalk ${path}: HTTP 429`, FLOW_CONTROL_RETRY_MS);
  if (status >= 500) {
    return new RetryableSendError(`dingtalk ${path}: HTTP ${status}`, SERVER_ERROR_RETRY_MS);
  }
  return new DingtalkApiError(path, status, String(body.code ?? ''), String(body.message ?? ''));
}
