/**
 * Routes a command document to its handler by its first field name, and turns
 * every failure into the `{ok: 0, errmsg, code, codeName}` reply mongod sends.
 */
import type { Document } from 'bson';
import { adminCommands, transactionsUnsupported } from './admin-commands';
import type { Catalog } from './catalog';
import { collectionCommands } from './collection-commands';
import { CommandError, errorReply, toCommandError } from './command-error';
import type { CommandHandler } from './command-context';
import { CursorRegistry } from './cursor-registry';
import { findAndModifyCommands } from './find-and-modify';
import { readCommands } from './read-commands';
import { refuseUnsupported } from './refusals';
import { writeCommands } from './write-commands';

/** Runs one command against the catalog and returns the reply document. */
export type CommandDispatcher = (
  database: string,
  command: Document,
  connectionId: number,
) => Document;

const HANDLERS: Record<string, CommandHandler> = {
  ...adminCommands,
  ...collectionCommands,
  ...writeCommands,
  ...findAndModifyCommands,
  ...readCommands,
};

/** A dispatcher over one catalog, with its own cursor registry. */
export function createDispatcher(catalog: Catalog): CommandDispatcher {
  const cursors = new CursorRegistry();
  return (database, command, connectionId) => {
    const name = Object.keys(command)[0] ?? '';
    try {
      // The driver adds txnNumber only inside a transaction; a standalone mongod refuses those.
      if ('txnNumber' in command || 'startTransaction' in command) transactionsUnsupported();
      refuseUnsupported(command, catalog, database);
      const handler = Object.hasOwn(HANDLERS, name) ? HANDLERS[name] : undefined;
      if (!handler) {
        throw new CommandError('CommandNotFound', `no such command: '${name}'`);
      }
      return handler(command, { catalog, cursors, database, connectionId });
    } catch (error) {
      return errorReply(toCommandError(error));
    }
  };
}
