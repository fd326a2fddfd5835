/**
 * The database a roster test works on: one test database for the file, with
 * the people and the audit trail emptied before each test and a fresh
 * PeopleRepository over them. Registers its own jest hooks.
 */
import { createModels, ensureIndexes, type Models } from '../../src/store/models';
import { AuditLog } from '../../src/store/repositories/audit-log';
import { PeopleRepository } from '../../src/store/repositories/people';
import { startTestDatabase, type TestDatabase } from './database';

export interface RosterDatabase {
  readonly models: Models;
  readonly people: PeopleRepository;
}

/** Call at the top of a test file; read `models` and `people` inside tests and hooks. */
export function useRosterDatabase(): RosterDatabase {
  let db: TestDatabase;
  let models: Models | undefined;
  let people: PeopleRepository | undefined;
  beforeAll(async () => {
    db = await startTestDatabase();
    models = createModels(db.connection);
    await ensureIndexes(models);
  });
  beforeEach(async () => {
    await models!.people.deleteMany({});
    await models!.audit.deleteMany({});
    people = new PeopleRepository(models!, new AuditLog(models!));
  });
  afterAll(async () => {
    await db.stop();
  });
  return {
    get models() {
      return models!;
    },
    get people() {
      return people!;
    },
  };
}
