/**
 * What the embedded server refuses instead of accepting and ignoring, so
 * that code which passes here also passes on MongoDB: `let` variables,
 * collations other than `simple`, views, collection validators, and a
 * `hint` that names no existing index. Each answers with mongod's code
 * where mongod has one (a missing hint is BadValue there too).
 */
import type { Document } from 'bson';
import type { Catalog } from './catalog';
import { CommandError } from './command-error';
import { isPlainObject, sameDocument } from './document-values';

/** Statement lists whose entries may carry their own collation or hint. */
const STATEMENT_LISTS = ['updates', 'deletes'];

/** Throws for a command that uses a feature the embedded server does not implement. */
export function refuseUnsupported(command: Document, catalog: Catalog, database: string): void {
  const parts = [command, ...statements(command)];
  if (command.let !== undefined || parts.some((part) => part.c !== undefined)) {
    unsupported('let variables are');
  }
  if (parts.some((part) => !isSimpleCollation(part.collation))) unsupported('collation is');
  if ('create' in command && ('viewOn' in command || 'pipeline' in command)) {
    unsupported('views are');
  }
  if ('create' in command && 'validator' in command) unsupported('collection validators are');
  if ('collMod' in command) unsupported('collMod is');
  const name = Object.values(command)[0];
  const collection = typeof name === 'string' ? catalog.get(database, name) : undefined;
  if (!collection) return;
  for (const part of parts) {
    if (part.hint !== undefined && !hintExists(part.hint, collection.indexSpecs())) {
      throw new CommandError('BadValue', 'hint provided does not correspond to an existing index');
    }
  }
}

function statements(command: Document): Document[] {
  return STATEMENT_LISTS.flatMap((list) =>
    Array.isArray(command[list]) ? (command[list] as unknown[]).filter(isPlainObject) : [],
  );
}

function isSimpleCollation(collation: unknown): boolean {
  return collation === undefined || (isPlainObject(collation) && collation.locale === 'simple');
}

function hintExists(hint: unknown, specs: { name: string; key: Document }[]): boolean {
  if (typeof hint === 'string') return specs.some((spec) => spec.name === hint);
  if (!isPlainObject(hint)) return false;
  if (Object.keys(hint).length === 0 || '$natural' in hint) return true;
  return specs.some((spec) => sameDocument(spec.key, hint));
}

function unsupported(what: string): never {
  throw new CommandError('CommandNotSupported', `${what} not supported by the embedded database`);
}
