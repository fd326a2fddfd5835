import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../lib/logger';
import type { ChatLog, ChatLogData } from './chat-log';
import type { MediaStore } from './media-store';

interface SnapshotFile extends ChatLogData {
  version: 1;
  media: { id: string; type: string; fileName: string; data: string }[];
}

// Bursts of messages (a month's opening) are written once.
const SAVE_DELAY_MS = 500;

/**
 * Keeps the simulated chats in a file beside the embedded database, so a
 * visitor who restarts the bot finds their chats (and can still tap the
 * cards in them) as WeCom would keep them.
 */
export class ChatSnapshot {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly file: string,
    private readonly chats: ChatLog,
    private readonly media: MediaStore,
    private readonly logger: Logger,
  ) {}

  /** Loads the file, if there is one, and saves after every change from now on. */
  start(): void {
    this.load();
    this.chats.subscribe(() => {
      this.timer ??= setTimeout(() => this.save(), SAVE_DELAY_MS);
    });
  }

  /** Writes what is pending now; called on the way out. */
  flush(): void {
    if (this.timer) this.save();
  }

  private load(): void {
    if (!existsSync(this.file)) return;
    try {
      const saved = JSON.parse(readFileSync(this.file, 'utf8')) as SnapshotFile;
      for (const m of saved.media)
        this.media.restore({ ...m, data: Buffer.from(m.data, 'base64') });
      this.chats.restore(saved);
    } catch (err) {
      // The chats are a convenience; a damaged file must not stop the bot.
      this.logger.warn(
        { err, file: this.file },
        'simulator: saved chats unreadable, starting empty',
      );
    }
  }

  private save(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const media = this.media.all().map((m) => ({ ...m, data: m.data.toString('base64') }));
    const snapshot: SnapshotFile = { version: 1, ...this.chats.toData(), media };
    try {
      mkdirSync(path.dirname(this.file), { recursive: true });
      // Written aside, then renamed: a crash mid-write leaves the previous file whole.
      writeFileSync(`${this.file}.tmp`, JSON.stringify(snapshot));
      renameSync(`${this.file}.tmp`, this.file);
    } catch (err) {
      this.logger.warn({ err, file: this.file }, 'simulator: could not save the chats');
    }
  }
}
