/**
 * Open cursors. A query's full result is computed up front and handed out in
 * batches by getMore; that is safe because stored documents are never
 * mutated in place. An aggregation's trailing per-document stages (its
 * `tail`, see openPipeline) run on the documents as they are handed out, a
 * slice at a time. Cursor ids go out as BSON Long (the driver insists,
 * also for 0) and are kept below 2^53 so they round-trip as plain numbers.
 */
import { calculateObjectSize, Long, type Document } from 'bson';
import { CommandError } from './command-error';

const DEFAULT_FIRST_BATCH = 101;
const MAX_BATCH_BYTES = 16 * 1024 * 1024;
const IDLE_TIMEOUT_MS = 10 * 60 * 1000;

// Documents a cursor's tail takes at a time: about a batch, so a batch costs one slice's run.
const TAIL_SLICE = 128;

interface OpenCursor {
  namespace: string;
  /** The documents `tail` is yet to run on, a slice at a time from `position`. */
  source: Document[];
  position: number;
  tail: ((documents: Document[]) => Document[]) | null;
  /** The documents being handed out, from `ready`: all of them without a tail, else a slice's. */
  buffer: Document[];
  ready: number;
  lastUsed: number;
}

export interface BatchOptions {
  batchSize?: unknown;
  singleBatch?: unknown;
}

export class CursorRegistry {
  private readonly cursors = new Map<number, OpenCursor>();
  private nextId = 1 + Math.floor(Math.random() * 2 ** 40);

  /** The reply for a new cursor: its first batch, and an id when more remains. */
  open(
    namespace: string,
    results: Document[],
    options: BatchOptions = {},
    tail: OpenCursor['tail'] = null,
  ): Document {
    this.expireIdle();
    const cursor: OpenCursor = {
      namespace,
      source: tail ? results : [],
      position: 0,
      tail,
      buffer: tail ? [] : results,
      ready: 0,
      lastUsed: Date.now(),
    };
    const limit = batchLimit(options.batchSize, DEFAULT_FIRST_BATCH);
    const firstBatch = takeBatch(cursor, limit);
    let id = 0;
    if (next(cursor) !== undefined && options.singleBatch !== true) {
      id = this.nextId++;
      this.cursors.set(id, cursor);
    }
    return { cursor: { firstBatch, id: Long.fromNumber(id), ns: namespace }, ok: 1 };
  }

  /** The reply to getMore: the next batch, and id 0 once the cursor is exhausted. */
  getMore(rawId: unknown, batchSize: unknown): Document {
    const id = Number(rawId);
    const cursor = this.cursors.get(id);
    if (!cursor) throw new CommandError('CursorNotFound', `cursor id ${String(rawId)} not found`);
    cursor.lastUsed = Date.now();
    // For getMore, batchSize 0 means "no limit" rather than an empty batch.
    const nextBatch = takeBatch(cursor, batchLimit(batchSize, Infinity) || Infinity);
    const exhausted = next(cursor) === undefined;
    if (exhausted) this.cursors.delete(id);
    const replyId = Long.fromNumber(exhausted ? 0 : id);
    return { cursor: { nextBatch, id: replyId, ns: cursor.namespace }, ok: 1 };
  }

  /** Closes cursors; reports which ids were open. */
  kill(rawIds: unknown[]): { killed: Long[]; notFound: Long[] } {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const rawId of rawIds) {
      const id = Number(rawId);
      (this.cursors.delete(id) ? killed : notFound).push(Long.fromNumber(id));
    }
    return { killed, notFound };
  }

  /** Forgets every cursor of a namespace (after drop). */
  closeNamespace(namespace: string): void {
    for (const [id, cursor] of this.cursors) {
      if (cursor.namespace === namespace) this.cursors.delete(id);
    }
  }

  private expireIdle(): void {
    // mongod times out idle cursors after ten minutes; abandoned ones would otherwise pin memory.
    const cutoff = Date.now() - IDLE_TIMEOUT_MS;
    for (const [id, cursor] of this.cursors) {
      if (cursor.lastUsed < cutoff) this.cursors.delete(id);
    }
  }
}

function batchLimit(batchSize: unknown, fallback: number): number {
  const size = Number(batchSize);
  return batchSize === undefined || batchSize === null || !Number.isFinite(size) || size < 0
    ? fallback
    : size;
}

function takeBatch(cursor: OpenCursor, limit: number): Document[] {
  const batch: Document[] = [];
  let bytes = 0;
  for (let document = next(cursor); batch.length < limit && document; document = next(cursor)) {
    bytes += calculateObjectSize(document);
    // Always hand out at least one document, as mongod does, even an oversized one.
    if (batch.length > 0 && bytes > MAX_BATCH_BYTES) break;
    batch.push(document);
    cursor.ready += 1;
  }
  return batch;
}

/** The cursor's next document (left in place until taken), running its tail on the next slice when needed. */
function next(cursor: OpenCursor): Document | undefined {
  while (cursor.ready >= cursor.buffer.length) {
    if (!cursor.tail || cursor.position >= cursor.source.length) return undefined;
    const slice = cursor.source.slice(cursor.position, cursor.position + TAIL_SLICE);
    cursor.position += slice.length;
    cursor.buffer = cursor.tail(slice);
    cursor.ready = 0;
  }
  return cursor.buffer[cursor.ready];
}
