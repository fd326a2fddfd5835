/**
 * The documents of one collection, in insertion (natural) order, keyed by the
 * canonical form of their _id, plus the collection's secondary indexes.
 * Every write checks all unique indexes before touching anything, so a
 * failed write leaves the collection exactly as it was.
 */
import { ObjectId, type Document } from 'bson';
import { CommandError, duplicateKeyError } from './command-error';
import { CollectionIndex, defaultIndexName, type IndexSpec } from './collection-index';
import { isPlainObject, keyString, sameDocument } from './document-values';

const ID_INDEX: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };

export class Collection {
  private readonly documents = new Map<string, Document>();
  // Each document's place in natural order, so index candidates come back in it.
  private readonly positions = new Map<string, number>();
  private nextPosition = 0;
  private readonly indexes: CollectionIndex[] = [];

  constructor(
    readonly database: string,
    readonly name: string,
    readonly options: Document = {},
  ) {}

  get namespace(): string {
    return `${this.database}.${this.name}`;
  }

  get size(): number {
    return this.documents.size;
  }

  /** All documents in natural order (references: stored documents are never mutated). */
  all(): Document[] {
    return [...this.documents.values()];
  }

  /**
   * A superset of the documents a filter can match: found through the _id hash
   * or a single-field unique hash when the filter pins that field, else all.
   * `exact` says the filter was that one pinned field, so the hash alone decided.
   */
  lookup(filter: Document, useHashes = true): { documents: Document[]; exact: boolean } {
    // A collation changes equality (e.g. case-insensitive), which the hashes do not know.
    if (!useHashes) return { documents: this.all(), exact: false };
    const exact = Object.keys(filter).length === 1;
    const ids = idsNamedBy(filter._id);
    if (ids) {
      const found = new Set<Document>();
      for (const id of ids) {
        const document = this.documents.get(keyString(id));
        if (document) found.add(document);
      }
      return { documents: [...found], exact };
    }
    // A unique index whose every field the filter pins (e.g. {month, userid}) names the one candidate.
    for (const index of this.indexes) {
      const pinned = index.lookupPinned(filter, isHashableScalar);
      if (!pinned.found) continue;
      const document = pinned.owner === undefined ? undefined : this.documents.get(pinned.owner);
      return { documents: document ? [document] : [], exact: false };
    }
    for (const [field, value] of Object.entries(filter)) {
      if (!isHashableScalar(value)) continue;
      const index = this.indexes.find((candidate) => candidate.answersEqualityOn(field));
      if (!index) continue;
      const owner = index.ownerOf(value);
      const document = owner === undefined ? undefined : this.documents.get(owner);
      return { documents: document ? [document] : [], exact };
    }
    // `{field: {$in: [plain values]}}` on a single-field unique index: the owners of those values.
    for (const [field, value] of Object.entries(filter)) {
      const listed = plainInList(value);
      const index = listed && this.indexes.find((candidate) => candidate.answersEqualityOn(field));
      if (!index) continue;
      const ids = new Set<string>();
      for (const item of listed) {
        const owner = index.ownerOf(item);
        if (owner !== undefined) ids.add(owner);
      }
      return { documents: this.inNaturalOrder(ids), exact: false };
    }
    // A non-unique index on a field the filter pins: its holders, in natural order.
    for (const index of this.indexes) {
      const ids = index.candidatesFor(filter, isHashableScalar);
      if (!ids) continue;
      if (ids.size === 0) return { documents: [], exact: false };
      return { documents: this.inNaturalOrder(ids), exact: false };
    }
    return { documents: this.all(), exact: false };
  }

  /**
   * The documents whose `field` equals the plain value `value`, in natural
   * order, read from an index on that field; undefined when none has it first.
   */
  equalTo(field: string, value: unknown): Document[] | undefined {
    if (!isHashableScalar(value)) return undefined;
    for (const index of this.indexes) {
      const ids = index.idsEqualTo(field, value);
      if (ids) return this.inNaturalOrder(ids);
    }
    return undefined;
  }

  /** Stored documents of this collection, put in natural order. */
  naturalOrder(documents: Iterable<Document>): Document[] {
    return this.inNaturalOrder(new Set([...documents].map((document) => keyString(document._id))));
  }

  /** Adds a document; throws E11000 when its _id or a unique key is taken. */
  insert(document: Document): void {
    const id = keyString(document._id);
    if (this.documents.has(id)) {
      throw duplicateKeyError(this.namespace, '_id_', { _id: 1 }, { _id: document._id });
    }
    this.assertUnique(document, id);
    this.documents.set(id, document);
    this.positions.set(id, this.nextPosition++);
    for (const index of this.indexes) index.add(document, id);
  }

  /** Swaps a stored document for its updated copy (same _id); throws E11000 without changing anything. */
  replace(current: Document, next: Document): void {
    const id = keyString(current._id);
    if (this.documents.get(id) !== current) {
      throw new CommandError('InternalError', 'document changed during update');
    }
    this.assertUnique(next, id);
    for (const index of this.indexes) index.remove(current, id);
    this.documents.set(id, next);
    for (const index of this.indexes) index.add(next, id);
  }

  /** Removes a stored document. */
  remove(document: Document): void {
    const id = keyString(document._id);
    if (this.documents.get(id) !== document) return;
    this.documents.delete(id);
    this.positions.delete(id);
    for (const index of this.indexes) index.remove(document, id);
  }

  private inNaturalOrder(ids: ReadonlySet<string>): Document[] {
    if (ids.size === 1) return [...ids].map((id) => this.documents.get(id)!);
    return [...ids]
      .sort((a, b) => this.positions.get(a)! - this.positions.get(b)!)
      .map((id) => this.documents.get(id)!);
  }

  /** The index specs, _id first, as listIndexes reports them. */
  indexSpecs(): IndexSpec[] {
    return [ID_INDEX, ...this.indexes.map((index) => index.spec)];
  }

  /** Creates an index; false when an identical one exists. Fails on conflicts or duplicate data. */
  createIndex(requested: Document): boolean {
    const spec = normalizeSpec(requested);
    const existing = this.indexSpecs().find(
      (other) => other.name === spec.name || sameDocument(other.key, spec.key),
    );
    if (existing) return assertSameIndex(existing, spec);
    const index = new CollectionIndex(spec);
    const owners = new Map<string, string>();
    for (const [id, document] of this.documents) {
      // Check against the documents seen so far before the index goes live.
      for (const key of index.unique ? index.keysOf(document) : []) {
        if (owners.has(key.hash) && owners.get(key.hash) !== id) {
          throw duplicateKeyError(this.namespace, spec.name, spec.key, key.values);
        }
        owners.set(key.hash, id);
      }
    }
    for (const [id, document] of this.documents) index.add(document, id);
    this.indexes.push(index);
    return true;
  }

  /** Drops one index by name; the _id index cannot be dropped. */
  dropIndex(name: string): void {
    if (name === '_id_') throw new CommandError('InvalidOptions', 'cannot drop _id index');
    const position = this.indexes.findIndex((index) => index.name === name);
    if (position < 0) {
      throw new CommandError('IndexNotFound', `index not found with name [${name}]`);
    }
    this.indexes.splice(position, 1);
  }

  /** The name of the index with this key pattern, for dropIndexes by key. */
  indexNameForKey(key: Document): string | undefined {
    return this.indexSpecs().find((spec) => sameDocument(spec.key, key))?.name;
  }

  private assertUnique(document: Document, id: string): void {
    for (const index of this.indexes) {
      const conflict = index.findConflict(document, id);
      if (conflict) {
        throw duplicateKeyError(this.namespace, index.name, index.spec.key, conflict.keyValue);
      }
    }
  }
}

/** A value whose equality an index hash decides: strings, numbers, booleans, Dates and ObjectIds. */
export function isHashableScalar(value: unknown): boolean {
  // null also matches missing fields, which a sparse index leaves out of its hash.
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean') return true;
  return value instanceof Date || value instanceof ObjectId;
}

/** The list of `{$in: [...]}` when it is the selector's only operator and lists plain values only (no null, array, regex). */
function plainInList(selector: unknown): unknown[] | undefined {
  if (!isPlainObject(selector) || Object.keys(selector).length !== 1) return undefined;
  const listed: unknown = selector.$in;
  return Array.isArray(listed) && listed.every(isHashableScalar) ? listed : undefined;
}

function idsNamedBy(selector: unknown): unknown[] | undefined {
  if (selector === undefined || selector instanceof RegExp) return undefined;
  if (!isPlainObject(selector)) return [selector];
  const operators = Object.keys(selector);
  if (!operators.some((key) => key.startsWith('$'))) return [selector];
  if (operators.length !== 1) return undefined;
  if ('$eq' in selector) return idsNamedBy(selector.$eq);
  const listed = selector.$in;
  if (!Array.isArray(listed) || listed.some((id) => id instanceof RegExp)) return undefined;
  return listed;
}

function normalizeSpec(requested: Document): IndexSpec {
  const key = requested.key;
  if (!isPlainObject(key) || Object.keys(key).length === 0) {
    throw new CommandError('BadValue', 'Index key pattern must be a non-empty object');
  }
  const name = typeof requested.name === 'string' ? requested.name : defaultIndexName(key);
  // `ns` and `v` are the server's to set; everything else is kept for listIndexes.
  const options = Object.fromEntries(
    Object.entries(requested).filter(([option]) => option !== 'ns' && option !== 'v'),
  );
  return { v: 2, ...options, key, name };
}

function assertSameIndex(existing: IndexSpec, spec: IndexSpec): false {
  const sameKey = sameDocument(existing.key, spec.key);
  if (existing.name === spec.name && !sameKey) {
    throw new CommandError(
      'IndexKeySpecsConflict',
      `An existing index has the same name as the requested index. Requested index: ${spec.name}`,
    );
  }
  const options = ['unique', 'sparse', 'partialFilterExpression', 'expireAfterSeconds'];
  const sameOptions = options.every((option) =>
    sameDocument({ v: optionValue(existing[option]) }, { v: optionValue(spec[option]) }),
  );
  if (existing.name !== spec.name || !sameOptions) {
    throw new CommandError(
      'IndexOptionsConflict',
      `An equivalent index already exists with a different name or options. ` +
        `Requested index: ${spec.name}, existing index: ${existing.name}`,
    );
  }
  return false;
}

function optionValue(value: unknown): unknown {
  // `unique: false` means the same as leaving the option out.
  return value === undefined || value === false ? null : value;
}
