/** find, getMore, killCursors, count, distinct and aggregate. */
import type { Document } from 'bson';
import { CommandError } from './command-error';
import { targetCollection, type CommandHandler } from './command-context';
import { keyString, valuesAtPath } from './document-values';
import { openPipeline } from './pipeline';
import { asDocument, findDocuments } from './query';

const find: CommandHandler = (command, { catalog, cursors, database }) => {
  const name = targetCollection(command, 'find');
  const results = findDocuments(catalog.get(database, name), command);
  return cursors.open(`${database}.${name}`, results, command);
};

const getMore: CommandHandler = (command, { cursors }) =>
  cursors.getMore(command.getMore, command.batchSize);

const killCursors: CommandHandler = (command, { cursors }) => {
  const ids: unknown[] = Array.isArray(command.cursors) ? command.cursors : [];
  const { killed, notFound } = cursors.kill(ids);
  return {
    cursorsKilled: killed,
    cursorsNotFound: notFound,
    cursorsAlive: [],
    cursorsUnknown: [],
    ok: 1,
  };
};

const count: CommandHandler = (command, { catalog, database }) => {
  const name = targetCollection(command, 'count');
  const collection = catalog.get(database, name);
  const query = asDocument(command.query);
  const unfiltered = Object.keys(query).length === 0 && !command.skip && !command.limit;
  // estimatedDocumentCount sends no query: answer from the size, as mongod does from metadata.
  if (unfiltered) return { n: collection?.size ?? 0, ok: 1 };
  const matches = findDocuments(collection, {
    filter: query,
    skip: command.skip,
    limit: command.limit,
  });
  return { n: matches.length, ok: 1 };
};

const distinct: CommandHandler = (command, { catalog, database }) => {
  const name = targetCollection(command, 'distinct');
  if (typeof command.key !== 'string')
    throw new CommandError('BadValue', 'distinct key must be a string');
  const matches = findDocuments(catalog.get(database, name), {
    filter: command.query,
  });
  const seen = new Map<string, unknown>();
  for (const document of matches) {
    for (const value of valuesAtPath(document, command.key)) {
      if (value !== undefined && !seen.has(keyString(value))) seen.set(keyString(value), value);
    }
  }
  return { values: [...seen.values()], ok: 1 };
};

const aggregate: CommandHandler = (command, { catalog, cursors, database }) => {
  if (command.explain === true) {
    throw new CommandError(
      'CommandNotSupported',
      'explain is not supported by the embedded database',
    );
  }
  const pipeline = Array.isArray(command.pipeline) ? (command.pipeline as Document[]) : [];
  if (pipeline.some((stage) => '$out' in stage || '$merge' in stage)) {
    throw new CommandError(
      'CommandNotSupported',
      '$out and $merge are not supported by the embedded database',
    );
  }
  const target = command.aggregate;
  const name = typeof target === 'string' ? target : undefined;
  const { documents, tail } = openPipeline(catalog, database, name, pipeline);
  const namespace =
    typeof target === 'string' ? `${database}.${target}` : `${database}.$cmd.aggregate`;
  return cursors.open(namespace, documents, asDocument(command.cursor), tail);
};

/** Handlers for the reading commands. */
export const readCommands: Record<string, CommandHandler> = {
  find,
  getMore,
  killCursors,
  count,
  distinct,
  aggregate,
};
