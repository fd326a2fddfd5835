import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';

/** What a message in a simulated chat is, as the page shows it. */
export type EntryKind = 'text' | 'markdown' | 'card' | 'file' | 'image';

/** One message in one person's simulated chat. */
export interface ChatEntry {
  id: string;
  userid: string;
  from: 'bot' | 'user';
  /** ISO time the simulator received or sent it. */
  at: string;
  kind: EntryKind;
  text?: string;
  /** The template_card as the bot sent it (kind 'card'). */
  card?: Record<string, unknown>;
  /** Set once the card was acted on: its buttons become this inert label. */
  replacedLabel?: string;
  file?: { name: string; size: number; url: string };
}

export type NewEntry = Omit<ChatEntry, 'id' | 'at'>;

// A long demo is still a demo: the oldest messages of a chat go first.
const MAX_ENTRIES_PER_PERSON = 500;

/** Everything a ChatLog holds, as plain data (see chat-snapshot.ts). */
export interface ChatLogData {
  entries: ChatEntry[];
  codes: [code: string, entryId: string][];
}

/**
 * Every simulated chat. The simulator plays WeCom, and WeCom's chat history
 * is not the bot's data: what the bot stores lives in its own database.
 */
export class ChatLog {
  private readonly entries = new Map<string, ChatEntry>();
  private readonly byUser = new Map<string, string[]>();
  // A response code lets the bot update one card once, as WeCom's does.
  private readonly codes = new Map<string, string>();
  private readonly changes = new EventEmitter();
  private counter = 0;

  constructor() {
    // Every open page listens; there is no leak to warn about.
    this.changes.setMaxListeners(0);
  }

  /** Appends a message to a person's chat and tells every listener. */
  add(entry: NewEntry, at: Date): ChatEntry {
    const stored: ChatEntry = { ...entry, id: `e${++this.counter}`, at: at.toISOString() };
    this.entries.set(stored.id, stored);
    const list = this.byUser.get(entry.userid) ?? [];
    list.push(stored.id);
    for (const dropped of list.splice(0, Math.max(0, list.length - MAX_ENTRIES_PER_PERSON)))
      this.entries.delete(dropped);
    this.byUser.set(entry.userid, list);
    this.changes.emit('entry', stored);
    return stored;
  }

  /** Changes a message in place (a card acted on) and tells every listener. */
  update(id: string, patch: Partial<Pick<ChatEntry, 'card' | 'replacedLabel'>>): ChatEntry | null {
    const entry = this.entries.get(id);
    if (!entry) return null;
    Object.assign(entry, patch);
    this.changes.emit('entry', entry);
    return entry;
  }

  /** One message, or null. */
  get(id: string): ChatEntry | null {
    return this.entries.get(id) ?? null;
  }

  /** A person's chat, oldest first. */
  chatOf(userid: string): ChatEntry[] {
    return (this.byUser.get(userid) ?? []).map((id) => this.entries.get(id)!);
  }

  /** A fresh code that lets the bot update this card once. */
  issueCode(entryId: string): string {
    const code = randomBytes(16).toString('hex');
    this.codes.set(code, entryId);
    return code;
  }

  /** The card a code was issued for; the code is spent. */
  redeemCode(code: string): ChatEntry | null {
    const id = this.codes.get(code);
    this.codes.delete(code);
    return id ? this.get(id) : null;
  }

  /** Everything held, to be saved. */
  toData(): ChatLogData {
    return { entries: [...this.entries.values()], codes: [...this.codes.entries()] };
  }

  /** Takes back what `toData` gave, into an empty log. */
  restore(data: ChatLogData): void {
    for (const entry of data.entries) {
      this.entries.set(entry.id, entry);
      this.byUser.set(entry.userid, [...(this.byUser.get(entry.userid) ?? []), entry.id]);
      this.counter = Math.max(this.counter, Number(entry.id.slice(1)) || 0);
    }
    for (const [code, id] of data.codes) if (this.entries.has(id)) this.codes.set(code, id);
  }

  /** Calls `listener` for every new or changed message; returns the way to stop. */
  subscribe(listener: (entry: ChatEntry) => void): () => void {
    this.changes.on('entry', listener);
    return () => this.changes.off('entry', listener);
  }
}
