/**
 * A fresh database for each DB test file, from the embedded package's test
 * helper: an embedded server in memory, or with MONGODB_URI the real MongoDB
 * in a uniquely named database that stop() drops.
 */
import {
  startTestDatabase as startDatabase,
  type TestDatabase,
} from '@kaohe/embedded-mongo/testing';

export type { TestDatabase };

/** A fresh database for one of the bot's test files (named kaohe_test_…). */
export function startTestDatabase(): Promise<TestDatabase> {
  return startDatabase('kaohe_test');
}
