/** Collection and index management: listCollections, create, drop and the index commands. */
import type { Document } from 'bson';
import { Query } from 'mingo';
import { CommandError } from './command-error';
import { documentList, targetCollection, type CommandHandler } from './command-context';
import { asDocument } from './query';
import { isPlainObject } from './document-values';

const ENVELOPE = new Set(['create', 'lsid', 'writeConcern', 'txnNumber', 'comment', 'maxTimeMS']);

const listCollections: CommandHandler = (command, { catalog, cursors, database }) => {
  const all: Document[] = catalog.collections(database).map((collection) => ({
    name: collection.name,
    type: 'collection',
    options: collection.options,
    info: { readOnly: false },
    idIndex: { v: 2, key: { _id: 1 }, name: '_id_' },
  }));
  const filter = new Query(asDocument(command.filter));
  const matching = all.filter((entry) => filter.test(entry));
  const listed =
    command.nameOnly === true ? matching.map(({ name, type }) => ({ name, type })) : matching;
  return cursors.open(`${database}.$cmd.listCollections`, listed, asDocument(command.cursor));
};

const create: CommandHandler = (command, { catalog, database }) => {
  const name = targetCollection(command, 'create');
  // Keep the collection options (capped, validator, …), not the command's envelope fields.
  const options = Object.fromEntries(
    Object.entries(command).filter(([key]) => !key.startsWith('$') && !ENVELOPE.has(key)),
  );
  catalog.create(database, name, options);
  return { ok: 1 };
};

const drop: CommandHandler = (command, { catalog, cursors, database }) => {
  const name = targetCollection(command, 'drop');
  const collection = catalog.get(database, name);
  if (!collection) throw new CommandError('NamespaceNotFound', 'ns not found');
  const nIndexesWas = collection.indexSpecs().length;
  catalog.drop(database, name);
  cursors.closeNamespace(collection.namespace);
  return { nIndexesWas, ns: collection.namespace, ok: 1 };
};

const createIndexes: CommandHandler = (command, { catalog, database }) => {
  const name = targetCollection(command, 'createIndexes');
  const specs = documentList(command, 'indexes');
  if (specs.length === 0)
    throw new CommandError('BadValue', 'Must specify at least one index to create');
  const createdCollectionAutomatically = !catalog.get(database, name);
  const collection = catalog.obtain(database, name);
  const numIndexesBefore = collection.indexSpecs().length;
  let created = 0;
  for (const spec of specs) if (collection.createIndex(spec)) created += 1;
  if (created > 0) catalog.changed();
  const reply: Document = {
    numIndexesBefore,
    numIndexesAfter: collection.indexSpecs().length,
    createdCollectionAutomatically,
    ok: 1,
  };
  if (created === 0) reply.note = 'all indexes already exist';
  return reply;
};

const listIndexes: CommandHandler = (command, { catalog, cursors, database }) => {
  const name = targetCollection(command, 'listIndexes');
  const collection = catalog.get(database, name);
  if (!collection) {
    throw new CommandError('NamespaceNotFound', `ns does not exist: ${database}.${name}`);
  }
  return cursors.open(collection.namespace, collection.indexSpecs(), asDocument(command.cursor));
};

const dropIndexes: CommandHandler = (command, { catalog, database }) => {
  const name = targetCollection(command, 'dropIndexes');
  const collection = catalog.get(database, name);
  if (!collection) {
    throw new CommandError('NamespaceNotFound', `ns not found ${database}.${name}`);
  }
  const nIndexesWas = collection.indexSpecs().length;
  for (const indexName of indexNames(command.index, collection.indexSpecs(), collection)) {
    collection.dropIndex(indexName);
  }
  catalog.changed();
  return { nIndexesWas, ok: 1 };
};

function indexNames(
  selector: unknown,
  specs: Document[],
  collection: { indexNameForKey(key: Document): string | undefined },
): string[] {
  if (selector === '*') return specs.map((spec) => spec.name as string).filter((n) => n !== '_id_');
  if (typeof selector === 'string') return [selector];
  if (Array.isArray(selector)) return selector.map(String);
  if (isPlainObject(selector)) {
    const found = collection.indexNameForKey(selector);
    if (!found)
      throw new CommandError(
        'IndexNotFound',
        `can't find index with key: ${JSON.stringify(selector)}`,
      );
    return [found];
  }
  throw new CommandError('BadValue', 'dropIndexes needs an index name, key pattern or "*"');
}

/** Handlers for collection and index management. */
export const collectionCommands: Record<string, CommandHandler> = {
  listCollections,
  create,
  drop,
  createIndexes,
  listIndexes,
  dropIndexes,
};
