/**
 * Keeps a catalog in a snapshot file: loaded at start, rewritten a short
 * while after writes (so a burst of writes costs one file write) and on stop.
 * The file is written to a temporary name, synced, then renamed over the old
 * one, so a crash mid-write leaves the previous snapshot intact.
 */
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Catalog } from './catalog';
import { decodeSnapshot, encodeSnapshot } from './snapshot';

export class SnapshotPersistence {
  private dirty = false;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly catalog: Catalog,
    private readonly delayMs = 200,
  ) {}

  /** Loads the snapshot if the file exists; a missing file means an empty database. */
  async load(): Promise<void> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    try {
      decodeSnapshot(bytes, this.catalog);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`Cannot load the embedded database snapshot ${this.file}: ${reason}`, {
        cause: error,
      });
    }
  }

  /** Notes a change and schedules a write. */
  schedule(): void {
    this.dirty = true;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // A failed background write leaves the data dirty: the next flush (at the latest
      // stop) retries it and reports the error to a caller who can act on it.
      this.flush().catch(() => undefined);
    }, this.delayMs);
  }

  /** Writes now if anything changed (after any write in progress); rejects if the write fails. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const next = this.writing.catch(() => undefined).then(() => this.write());
    this.writing = next;
    return next;
  }

  private async write(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    // Encode synchronously: the bytes reflect one consistent moment of the catalog.
    const bytes = encodeSnapshot(this.catalog);
    const temporary = `${this.file}.${process.pid}.tmp`;
    try {
      await mkdir(dirname(this.file), { recursive: true });
      const handle = await open(temporary, 'w');
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, this.file);
    } catch (error) {
      this.dirty = true;
      throw error;
    }
  }
}
