/**
 * findAndModify (findOneAndUpdate / findOneAndReplace / findOneAndDelete).
 * Unlike the write commands, a failure here fails the whole command, so a
 * duplicate key comes back as `{ok: 0, code: 11000, keyPattern, keyValue}`.
 */
import type { Document } from 'bson';
import { CommandError } from './command-error';
import { targetCollection, type CommandHandler } from './command-context';
import { sameDocument } from './document-values';
import { asDocument, findDocuments, projectDocument } from './query';
import { applyUpdate, buildUpsert } from './update-document';

const findAndModify: CommandHandler = (command, context) => {
  const name = targetCollection(command, 'findAndModify');
  const filter = asDocument(command.query);
  const options = {
    filter,
    arrayFilters: Array.isArray(command.arrayFilters) ? command.arrayFilters : undefined,
  };
  if (command.remove !== true && command.update === undefined) {
    throw new CommandError('FailedToParse', 'Either an update or remove=true must be specified');
  }
  const collection = context.catalog.get(context.database, name);
  const [current] = findDocuments(collection, {
    filter,
    sort: command.sort,
    limit: 1,
  });
  const project = (document: Document | undefined) =>
    document ? projectDocument(document, command.fields) : null;

  if (command.remove === true) {
    if (current) {
      collection?.remove(current);
      context.catalog.changed();
    }
    return { lastErrorObject: { n: current ? 1 : 0 }, value: project(current), ok: 1 };
  }

  if (current) {
    const next = applyUpdate(current, command.update, options);
    if (!sameDocument(current, next)) {
      collection?.replace(current, next);
      context.catalog.changed();
    }
    return {
      lastErrorObject: { n: 1, updatedExisting: true },
      value: project(command.new === true ? next : current),
      ok: 1,
    };
  }

  if (command.upsert !== true) {
    return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
  }
  const inserted = buildUpsert(filter, command.update, options);
  context.catalog.obtain(context.database, name).insert(inserted);
  context.catalog.changed();
  return {
    lastErrorObject: { n: 1, updatedExisting: false, upserted: inserted._id },
    value: command.new === true ? project(inserted) : null,
    ok: 1,
  };
};

/** The findAndModify handler (mongod accepts both spellings). */
export const findAndModifyCommands: Record<string, CommandHandler> = {
  findAndModify,
  findandmodify: findAndModify,
};
