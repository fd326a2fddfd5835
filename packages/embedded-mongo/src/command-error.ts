/**
 * Errors the embedded server answers with. Each carries the numeric code and
 * codeName that mongod uses, because the driver and mongoose branch on them
 * (11000 becomes a duplicate-key error, 26 is tolerated by drop, 48 by create).
 */
import { MingoError } from 'mingo/util';
import type { Document } from 'bson';
import { formatKeyValue } from './document-values';

export const ErrorCodes = {
  InternalError: 1,
  BadValue: 2,
  FailedToParse: 9,
  TypeMismatch: 14,
  IllegalOperation: 20,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  ConflictingUpdateOperators: 40,
  CursorNotFound: 43,
  NamespaceExists: 48,
  CommandNotFound: 59,
  ImmutableField: 66,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  CommandNotSupported: 115,
  DuplicateKey: 11000,
} as const;

export type ErrorCodeName = keyof typeof ErrorCodes;

/** A failure that becomes `{ok: 0, errmsg, code, codeName}` (or a writeErrors entry). */
export class CommandError extends Error {
  readonly code: number;

  constructor(
    readonly codeName: ErrorCodeName,
    message: string,
    readonly extra: Document = {},
  ) {
    super(message);
    this.name = 'CommandError';
    this.code = ErrorCodes[codeName];
  }
}

/** The E11000 error mongod raises, with the keyPattern/keyValue mongoose exposes. */
export function duplicateKeyError(
  namespace: string,
  indexName: string,
  keyPattern: Document,
  keyValue: Document,
): CommandError {
  const message =
    `E11000 duplicate key error collection: ${namespace} index: ${indexName} ` +
    `dup key: ${formatKeyValue(keyValue)}`;
  return new CommandError('DuplicateKey', message, { keyPattern, keyValue });
}

/** Turns anything thrown by a handler into a CommandError; mingo's own errors are bad input. */
export function toCommandError(error: unknown): CommandError {
  if (error instanceof CommandError) return error;
  const message = error instanceof Error ? error.message : String(error);
  // mingo reports unknown or misused operators, which mongod answers as BadValue.
  if (error instanceof MingoError) return new CommandError('BadValue', message);
  return new CommandError('InternalError', message);
}

/** The reply document for a failed command. */
export function errorReply(error: CommandError): Document {
  return {
    ok: 0,
    errmsg: error.message,
    code: error.code,
    codeName: error.codeName,
    ...error.extra,
  };
}

/** The writeErrors entry for a failed statement of an insert, update or delete. */
export function writeErrorEntry(index: number, error: unknown): Document {
  const failure = toCommandError(error);
  return { index, code: failure.code, errmsg: failure.message, ...failure.extra };
}
