import { AppError } from '../../lib/errors';
import type { Platform } from '../types';

/**
 * The characters a platform allows in a person's id. A callback's sender id
 * later becomes a recipient (`touser: "a|b"` on WeCom sends to both), a
 * database key and a log field, so anything outside these is refused at the
 * door rather than escaped everywhere. WeCom documents letters, digits and
 * `_-.@`, at most 64; DingTalk staff ids are letters, digits, `_` and `-` in
 * practice, and `.`/`@` are tolerated there too. A platform whose ids differ
 * adds its own pattern; the others take this one.
 */
const USER_ID = /^[A-Za-z0-9_.@-]{1,64}$/;
const OWN_USER_ID: { [P in Platform]?: RegExp } = {};

/** Whether `userId` is a well-formed id on `platform`. */
export function isValidUserId(platform: Platform, userId: string): boolean {
  return (OWN_USER_ID[platform] ?? USER_ID).test(userId);
}

/** Refuses (400 bad_payload) a sender id the platform would never send. */
export function assertValidUserId(platform: Platform, userId: string): void {
  if (!isValidUserId(platform, userId)) {
    throw new AppError('bad_payload', `${platform} sender id has characters it never holds`);
  }
}
