/**
 * One secondary index of a collection. A unique index keeps a hash from key
 * to owning document, so a uniqueness check costs one lookup (a scan per
 * insert made 1,234 inserts take about a second). A non-unique one keeps, for
 * its first field, the documents holding each value, so a query pinning that
 * field reads those candidates instead of scanning the collection (the bot's
 * "an earlier event of this person?" check made every callback scan the inbox).
 */
import { Query } from 'mingo';
import type { Document } from 'bson';
import { keyString, valuesAtPath } from './document-values';

/** An index as listIndexes reports it. */
export interface IndexSpec extends Document {
  v: number;
  key: Document;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Document;
}

/** One key of a document in a unique index: its hash string and the values for messages. */
export interface IndexKey {
  hash: string;
  values: Document;
}

/** The conflicting key found when a document would break a unique index. */
export interface KeyConflict {
  index: CollectionIndex;
  keyValue: Document;
}

const NO_IDS: ReadonlySet<string> = new Set();

export class CollectionIndex {
  private readonly fields: string[];
  private readonly filter?: Query;
  private readonly owners = new Map<string, string>();
  // Non-unique, and unique on several fields: first field's value key → ids of the documents
  // holding it, so a filter pinning the first field alone ({month} on {month, userid}) reads
  // its candidates here, as mongod scans that index's prefix, instead of every document.
  private readonly holders = new Map<string, Set<string>>();
  private readonly tracksHolders: boolean;

  constructor(readonly spec: IndexSpec) {
    this.fields = Object.keys(spec.key);
    if (spec.partialFilterExpression) this.filter = new Query(spec.partialFilterExpression);
    this.tracksHolders = !this.filter && (!this.unique || this.fields.length > 1);
  }

  get name(): string {
    return this.spec.name;
  }

  get unique(): boolean {
    return Boolean(this.spec.unique);
  }

  /** The keys a document contributes (several for an array field); none when sparse or filtered out. */
  keysOf(document: Document): IndexKey[] {
    if (this.filter && !this.filter.test(document)) return [];
    const perField = this.fields.map((field) => valuesAtPath(document, field));
    if (
      Boolean(this.spec.sparse) &&
      perField.every((values) => values.every((v) => v === undefined))
    ) {
      return [];
    }
    let keys: IndexKey[] = [{ hash: '', values: {} }];
    this.fields.forEach((field, i) => {
      const seen = new Set<string>();
      const next: IndexKey[] = [];
      for (const value of perField[i] ?? []) {
        const part = keyString(value);
        if (seen.has(part)) continue;
        seen.add(part);
        for (const key of keys) {
          next.push({
            hash: `${key.hash}|${part}`,
            values: { ...key.values, [field]: value ?? null },
          });
        }
      }
      keys = next;
    });
    return keys;
  }

  /** True when equality on `field` can be answered from this index's hash alone. */
  answersEqualityOn(field: string): boolean {
    return this.unique && !this.filter && this.fields.length === 1 && this.fields[0] === field;
  }

  /**
   * When `filter` pins every field of this unique index to a plain value, the
   * one document that can match (found: true, owner possibly undefined);
   * otherwise found: false and the caller scans.
   */
  lookupPinned(
    filter: Record<string, unknown>,
    isScalar: (v: unknown) => boolean,
  ): { found: boolean; owner?: string } {
    if (!this.unique || this.filter || !this.fields.every((f) => isScalar(filter[f])))
      return { found: false };
    return {
      found: true,
      owner: this.owners.get(this.fields.map((f) => `|${keyString(filter[f])}`).join('')),
    };
  }

  /**
   * For an index keeping its first field's holders (non-unique, or unique on
   * several fields) whose first field `filter` pins to a plain value, the ids
   * of every document that can match (a superset the query then filters);
   * undefined when this index cannot say.
   */
  candidatesFor(
    filter: Record<string, unknown>,
    isScalar: (v: unknown) => boolean,
  ): ReadonlySet<string> | undefined {
    const first = this.fields[0]!;
    if (!this.tracksHolders || !isScalar(filter[first])) return undefined;
    return this.holders.get(keyString(filter[first])) ?? new Set();
  }

  /**
   * The ids of the documents whose `field` equals the plain `value`, when this
   * index holds `field` first and has no partial filter (each element of an
   * array counts, as equality on an array field matches any element);
   * undefined when this index cannot say.
   */
  idsEqualTo(field: string, value: unknown): ReadonlySet<string> | undefined {
    if (this.filter || this.fields[0] !== field) return undefined;
    if (this.tracksHolders) return this.holders.get(keyString(value)) ?? NO_IDS;
    const owner = this.ownerOf(value);
    return owner === undefined ? NO_IDS : new Set([owner]);
  }

  /** The id key of the document holding this single-field value, if any. */
  ownerOf(value: unknown): string | undefined {
    return this.owners.get(`|${keyString(value)}`);
  }

  /** The first key of `document` already owned by another document, if any. */
  findConflict(document: Document, ownId: string): KeyConflict | undefined {
    if (!this.unique) return undefined;
    for (const key of this.keysOf(document)) {
      const owner = this.owners.get(key.hash);
      if (owner !== undefined && owner !== ownId) return { index: this, keyValue: key.values };
    }
    return undefined;
  }

  /** Records the document's keys; call only after findConflict found none. */
  add(document: Document, id: string): void {
    if (this.tracksHolders) {
      for (const part of this.firstParts(document)) {
        const ids = this.holders.get(part) ?? new Set<string>();
        ids.add(id);
        this.holders.set(part, ids);
      }
    }
    if (!this.unique) return;
    for (const key of this.keysOf(document)) this.owners.set(key.hash, id);
  }

  /** Forgets the document's keys. */
  remove(document: Document, id: string): void {
    if (this.tracksHolders) {
      for (const part of this.firstParts(document)) {
        const ids = this.holders.get(part);
        ids?.delete(id);
        if (ids?.size === 0) this.holders.delete(part);
      }
    }
    if (!this.unique) return;
    for (const key of this.keysOf(document)) {
      if (this.owners.get(key.hash) === id) this.owners.delete(key.hash);
    }
  }

  // The value keys of the first field (each element of an array), as equality sees them.
  private firstParts(document: Document): Set<string> {
    return new Set(valuesAtPath(document, this.fields[0]!).map((value) => keyString(value)));
  }
}

/** The name mongod gives an index when none is supplied: `a_1_b_-1`. */
export function defaultIndexName(key: Document): string {
  return Object.entries(key)
    .map(([field, direction]) => `${field}_${String(direction)}`)
    .join('_');
}
