import type { StateStore } from '../state/state-store';

/** Where a person is in a form: which form, which criterion, what they skipped. */
export interface FormPosition {
  mode: 'form';
  month: string;
  role: 'self' | 'supervisor';
  /** Whose form it is (the person assessed). */
  target: string;
  /** The criterion being asked, or null at the summary. */
  criterionNo: number | null;
  skipped: number[];
}

export type Conversation = FormPosition;

// A draft outlives a conversation: after this the position is forgotten and
// the form resumes at its first unanswered criterion.
const TTL_MS = 30 * 24 * 3600 * 1000;

/** Each person's conversation position, in the shared state store. Losing it loses no data. */
export class ConversationStore {
  constructor(private readonly state: StateStore) {}

  /** The person's position, or null. */
  async get(userid: string): Promise<Conversation | null> {
    const raw = await this.state.get(`conv:${userid}`);
    return raw ? (JSON.parse(raw) as Conversation) : null;
  }

  async set(userid: string, conversation: Conversation): Promise<void> {
    await this.state.set(`conv:${userid}`, JSON.stringify(conversation), TTL_MS);
  }

  async clear(userid: string): Promise<void> {
    await this.state.delete(`conv:${userid}`);
  }
}
