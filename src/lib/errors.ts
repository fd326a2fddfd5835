/**
 * One error vocabulary for the whole bot. An AppError carries a stable code,
 * the HTTP status a receiver should answer with, and whether its message may be
 * shown to the person who caused it (user-facing messages are Simplified Chinese).
 */
export type ErrorCode =
  | 'bad_request'
  | 'bad_signature'
  | 'bad_payload'
  | 'too_large'
  | 'not_found'
  | 'forbidden'
  | 'invalid_input'
  | 'conflict'
  | 'unavailable'
  | 'config'
  | 'internal';

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  bad_signature: 401,
  bad_payload: 400,
  too_large: 413,
  not_found: 404,
  forbidden: 403,
  invalid_input: 422,
  conflict: 409,
  unavailable: 503,
  config: 500,
  internal: 500,
};

/** An expected failure with a stable code; `expose` means the message is safe to show a user. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly expose: boolean;

  constructor(
    code: ErrorCode,
    message: string,
    options: { expose?: boolean; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = STATUS[code];
    this.expose = options.expose ?? false;
  }
}

/** A user-facing refusal or validation message (Chinese), safe to send back in chat. */
export function userError(code: ErrorCode, message: string): AppError {
  return new AppError(code, message, { expose: true });
}

/** True when the value is an AppError. */
export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
