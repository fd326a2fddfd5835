/** What every command handler receives, and small helpers for reading command fields. */
import type { Document } from 'bson';
import type { Catalog } from './catalog';
import { CommandError } from './command-error';
import type { CursorRegistry } from './cursor-registry';

export interface CommandContext {
  catalog: Catalog;
  cursors: CursorRegistry;
  /** The database the command addresses (`$db`, or the OP_QUERY namespace). */
  database: string;
  connectionId: number;
}

/** Answers one command synchronously; throws CommandError to answer `ok: 0`. */
export type CommandHandler = (command: Document, context: CommandContext) => Document;

/** The collection a command names in its first field (`{find: 'users', …}`). */
export function targetCollection(command: Document, field: string): string {
  const name = command[field];
  if (typeof name !== 'string' || name === '') {
    throw new CommandError('InvalidNamespace', `collection name has invalid type ${typeof name}`);
  }
  return name;
}

/** The field as an array of documents, [] when absent. */
export function documentList(command: Document, field: string): Document[] {
  const value = command[field];
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new CommandError('BadValue', `${field} must be an array`);
  return value as Document[];
}
