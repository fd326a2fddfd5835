/**
 * insert, update and delete. Statement failures travel as writeErrors with
 * ok: 1, as mongod reports them; an ordered batch stops at the first one.
 * Each document is written atomically: the update is applied to a copy and
 * swapped in only when every unique index still holds.
 */
import type { Document } from 'bson';
import { CommandError, writeErrorEntry } from './command-error';
import {
  documentList,
  targetCollection,
  type CommandContext,
  type CommandHandler,
} from './command-context';
import { sameDocument } from './document-values';
import { findDocuments, asDocument } from './query';
import { applyUpdate, buildUpsert, isReplacement, withIdFirst } from './update-document';

interface UpdateTally {
  n: number;
  nModified: number;
  upserted: Document[];
}

const insert: CommandHandler = (command, context) => {
  const name = targetCollection(command, 'insert');
  const collection = context.catalog.obtain(context.database, name);
  let n = 0;
  const writeErrors = eachStatement(command, 'documents', (document) => {
    collection.insert(withIdFirst(document));
    n += 1;
  });
  if (n > 0) context.catalog.changed();
  return withWriteErrors({ n }, writeErrors);
};

const update: CommandHandler = (command, context) => {
  const name = targetCollection(command, 'update');
  const tally: UpdateTally = { n: 0, nModified: 0, upserted: [] };
  const writeErrors = eachStatement(command, 'updates', (statement, index) =>
    updateStatement(context, name, statement, index, tally),
  );
  if (tally.n > 0) context.catalog.changed();
  const reply: Document = { n: tally.n, nModified: tally.nModified };
  if (tally.upserted.length > 0) reply.upserted = tally.upserted;
  return withWriteErrors(reply, writeErrors);
};

function updateStatement(
  context: CommandContext,
  name: string,
  statement: Document,
  index: number,
  tally: UpdateTally,
): void {
  const filter = asDocument(statement.q);
  const options = {
    filter,
    arrayFilters: Array.isArray(statement.arrayFilters) ? statement.arrayFilters : undefined,
  };
  if (statement.multi === true && isReplacement(statement.u)) {
    throw new CommandError(
      'FailedToParse',
      'multi update is not supported for replacement-style update',
    );
  }
  const collection = context.catalog.get(context.database, name);
  const matches = findDocuments(collection, {
    filter,
    limit: statement.multi === true ? 0 : 1,
    sort: statement.sort,
  });
  if (matches.length === 0) {
    if (statement.upsert !== true) return;
    const document = buildUpsert(filter, statement.u, options);
    context.catalog.obtain(context.database, name).insert(document);
    tally.n += 1;
    tally.upserted.push({ index, _id: document._id });
    return;
  }
  for (const current of matches) {
    const next = applyUpdate(current, statement.u, options);
    // Counted only once the write holds: a statement that fails on a unique
    // index is not matched, as mongod reports it.
    if (!sameDocument(current, next)) {
      collection?.replace(current, next);
      tally.nModified += 1;
    }
    tally.n += 1;
  }
}

const remove: CommandHandler = (command, context) => {
  const name = targetCollection(command, 'delete');
  const collection = context.catalog.get(context.database, name);
  let n = 0;
  const writeErrors = eachStatement(command, 'deletes', (statement) => {
    const limit = Number(statement.limit ?? 0) === 1 ? 1 : 0;
    const filter = asDocument(statement.q);
    for (const document of findDocuments(collection, {
      filter,
      limit,
    })) {
      collection?.remove(document);
      n += 1;
    }
  });
  if (n > 0) context.catalog.changed();
  return withWriteErrors({ n }, writeErrors);
};

/**
 * Runs `apply` on each statement of the command's `field`, as mongod does: a
 * failing statement becomes a write error with its index, and an ordered
 * command (the default) stops at the first one.
 */
function eachStatement(
  command: Document,
  field: string,
  apply: (statement: Document, index: number) => void,
): Document[] {
  const writeErrors: Document[] = [];
  for (const [index, statement] of documentList(command, field).entries()) {
    try {
      apply(statement, index);
    } catch (error) {
      writeErrors.push(writeErrorEntry(index, error));
      if (command.ordered !== false) break;
    }
  }
  return writeErrors;
}

function withWriteErrors(reply: Document, writeErrors: Document[]): Document {
  return writeErrors.length > 0 ? { ...reply, writeErrors, ok: 1 } : { ...reply, ok: 1 };
}

/** Handlers for the write commands. */
export const writeCommands: Record<string, CommandHandler> = {
  insert,
  update,
  delete: remove,
};
