/**
 * The snapshot file format: a sequence of BSON documents (BSON keeps ObjectId,
 * Date and binary types intact). A header, then per collection one record
 * naming it with its options and indexes, followed by one record per document.
 * Records stay small, so no single BSON document approaches the 16 MB limit.
 */
import { deserialize, serialize, type Document } from 'bson';
import type { Catalog } from './catalog';
import { DESERIALIZE_OPTIONS } from './wire-protocol';

const FORMAT = 'kaohe-embedded-mongo';
const VERSION = 1;

/** The catalog's contents as snapshot bytes. */
export function encodeSnapshot(catalog: Catalog): Buffer {
  const records: Uint8Array[] = [
    serialize({ format: FORMAT, version: VERSION, savedAt: new Date() }),
  ];
  for (const collection of catalog.allCollections()) {
    const documents = collection.all();
    records.push(
      serialize({
        collection: {
          database: collection.database,
          name: collection.name,
          options: collection.options,
          indexes: collection.indexSpecs().filter((spec) => spec.name !== '_id_'),
        },
        count: documents.length,
      }),
    );
    for (const document of documents) records.push(serialize({ d: document }));
  }
  return Buffer.concat(records);
}

/** Loads snapshot bytes into an empty catalog; throws on a file that is not a snapshot. */
export function decodeSnapshot(bytes: Buffer, catalog: Catalog): void {
  const records = readRecords(bytes);
  const header = records.next().value;
  if (!header || header.format !== FORMAT || header.version !== VERSION) {
    throw new Error('not an embedded-database snapshot (unknown format or version)');
  }
  for (let record = records.next(); !record.done; record = records.next()) {
    const { database, name, options, indexes } = record.value.collection as Document;
    const collection = catalog.create(database, name, options);
    for (const spec of indexes as Document[]) collection.createIndex(spec);
    for (let i = 0; i < Number(record.value.count); i += 1) {
      const entry = records.next();
      if (entry.done) throw new Error(`snapshot truncated in ${database}.${name}`);
      collection.insert(entry.value.d as Document);
    }
  }
}

function* readRecords(bytes: Buffer): Generator<Document, void> {
  let offset = 0;
  while (offset < bytes.length) {
    if (offset + 5 > bytes.length) throw new Error('snapshot truncated');
    const size = bytes.readInt32LE(offset);
    if (size < 5 || offset + size > bytes.length) throw new Error('snapshot truncated or corrupt');
    yield deserialize(bytes.subarray(offset, offset + size), DESERIALIZE_OPTIONS);
    offset += size;
  }
}
