/**
 * All databases and collections of one server, addressed by namespace
 * (database + collection). Writers call `changed()` so persistence knows
 * that a snapshot is due.
 */
import type { Document } from 'bson';
import { CommandError } from './command-error';
import { Collection } from './collection';

export class Catalog {
  private readonly databases = new Map<string, Map<string, Collection>>();
  private listener: () => void = () => {};

  /** Registers the one callback told about every change (persistence's scheduler). */
  onChange(listener: () => void): void {
    this.listener = listener;
  }

  /** Signals that data or metadata changed. */
  changed(): void {
    this.listener();
  }

  /** The collection, or undefined when it does not exist. */
  get(database: string, name: string): Collection | undefined {
    return this.databases.get(database)?.get(name);
  }

  /** The collection, created implicitly (as insert and upsert do) when missing. */
  obtain(database: string, name: string): Collection {
    return this.get(database, name) ?? this.create(database, name);
  }

  /** Creates a collection; NamespaceExists when it is already there. */
  create(database: string, name: string, options: Document = {}): Collection {
    assertValidName(database, name);
    let collections = this.databases.get(database);
    if (!collections) {
      collections = new Map();
      this.databases.set(database, collections);
    }
    if (collections.has(name)) {
      throw new CommandError('NamespaceExists', `Collection ${database}.${name} already exists.`);
    }
    const collection = new Collection(database, name, options);
    collections.set(name, collection);
    this.changed();
    return collection;
  }

  /** Drops a collection; false when it did not exist. */
  drop(database: string, name: string): boolean {
    const dropped = this.databases.get(database)?.delete(name) ?? false;
    if (dropped) this.changed();
    return dropped;
  }

  /** Drops a whole database. */
  dropDatabase(database: string): void {
    if (this.databases.delete(database)) this.changed();
  }

  /** The collections of one database. */
  collections(database: string): Collection[] {
    return [...(this.databases.get(database)?.values() ?? [])];
  }

  /** Every collection of every database (for snapshots). */
  allCollections(): Collection[] {
    return [...this.databases.values()].flatMap((collections) => [...collections.values()]);
  }

  /** The names of databases that hold at least one collection. */
  databaseNames(): string[] {
    return [...this.databases].filter(([, c]) => c.size > 0).map(([name]) => name);
  }
}

function assertValidName(database: string, name: string): void {
  if (!database || /[/\\. "$]/.test(database)) {
    throw new CommandError('InvalidNamespace', `Invalid database name: '${database}'`);
  }
  if (!name || name.includes('$') || name.startsWith('.')) {
    throw new CommandError('InvalidNamespace', `Invalid collection name: '${name}'`);
  }
}
