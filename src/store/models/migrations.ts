import { DEFAULT_DEPARTMENT } from '../../assessment/department';
import type { Models } from '.';

/**
 * What a database written before departments existed needs before the
 * indexes are built: months and month summaries were unique by month alone.
 * Their documents get 客服部 (everyone was customer service then), and the
 * old unique index is dropped, since on MongoDB it would refuse a second
 * department's month. Idempotent: a migrated database is left as it is.
 */
export async function migrateToDepartments(models: Models): Promise<void> {
  const missing = { department: { $exists: false } };
  await models.months.updateMany(missing, { $set: { department: DEFAULT_DEPARTMENT } });
  await models.monthSummaries.updateMany(missing, { $set: { department: DEFAULT_DEPARTMENT } });
  await dropIndexIfPresent(models.months, 'key_1');
  await dropIndexIfPresent(models.monthSummaries, 'month_1');
}

async function dropIndexIfPresent(
  model: Models['months'] | Models['monthSummaries'],
  name: string,
): Promise<void> {
  // A collection that does not exist yet has no indexes (MongoDB answers NamespaceNotFound, 26).
  const indexes = await model.collection.indexes().catch((err: { code?: number }) => {
    if (err.code === 26) return [];
    throw err;
  });
  if (indexes.some((i) => i.name === name)) await model.collection.dropIndex(name);
}
