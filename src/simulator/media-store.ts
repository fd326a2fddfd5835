import { randomBytes } from 'node:crypto';

/** A file the bot uploaded to the simulator's media/upload. */
export interface StoredMedia {
  id: string;
  type: string;
  fileName: string;
  data: Buffer;
}

// Reports are a few hundred kilobytes; a long demo should not grow without end.
const MAX_FILES = 200;

/** The simulator's temporary media, in memory, as WeCom keeps uploads for three days. */
export class MediaStore {
  private readonly files = new Map<string, StoredMedia>();

  /** Keeps a file and returns its media id. */
  put(type: string, fileName: string, data: Buffer): StoredMedia {
    const media = { id: `m${randomBytes(12).toString('hex')}`, type, fileName, data };
    this.files.set(media.id, media);
    if (this.files.size > MAX_FILES) this.files.delete(this.files.keys().next().value!);
    return media;
  }

  /** Every file held, oldest first. */
  all(): StoredMedia[] {
    return [...this.files.values()];
  }

  /** Keeps a file saved earlier, under its own id. */
  restore(media: StoredMedia): void {
    this.files.set(media.id, media);
  }

  /** A file by media id, or null. */
  get(id: string): StoredMedia | null {
    return this.files.get(id) ?? null;
  }
}
