// Typed calls to the simulator backend. Every failure becomes an ApiError whose
// message is short Chinese text that the page can show as it is.

export type Role = 'staff' | 'leader' | 'supervisor' | 'manager' | 'hr';

export interface Person {
  userid: string;
  name: string;
  employeeNo: string;
  roles: Role[];
}

export interface MonthState {
  key: string;
  status: 'open' | 'closed';
}

export interface Overview {
  people: Person[];
  currentMonth: string;
  month: MonthState | null;
}

export interface ChatFile {
  name: string;
  size: number;
  url: string;
}

export interface ChatEntry {
  id: string;
  userid: string;
  from: 'bot' | 'user';
  at: string;
  kind: 'text' | 'markdown' | 'card' | 'file' | 'image';
  text?: string;
  card?: Record<string, unknown>;
  replacedLabel?: string;
  file?: ChatFile;
}

export interface CardSelection {
  questionKey: string;
  optionIds: string[];
}

export interface CardSubmit {
  eventKey: string;
  selected: CardSelection[];
}

export type MonthAction = 'open' | 'remind' | 'close';

export interface EntryEvent {
  type: 'entry';
  entry: ChatEntry;
}

const BASE = '/simulator/api';

export class ApiError extends Error {}

async function request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(BASE + path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError('连不上服务，请稍后再试');
  }
  const data: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    // The bot's error boundary answers { error: code, message: 中文 } when the message may be shown.
    const message = (data as { message?: unknown } | null)?.message;
    throw new ApiError(typeof message === 'string' ? message : `请求失败（${res.status}）`);
  }
  return data as T;
}

const chat = (userid: string) => `/chats/${encodeURIComponent(userid)}`;

export const api = {
  overview: () => request<Overview>('GET', '/overview'),
  loadDemo: () => request<{ people: Person[] }>('POST', '/demo'),
  month: (action: MonthAction) => request<{ text: string }>('POST', `/month/${action}`),
  chat: (userid: string) => request<{ entries: ChatEntry[] }>('GET', chat(userid)),
  send: (userid: string, text: string) =>
    request<{ entry: ChatEntry }>('POST', `${chat(userid)}/messages`, { text }),
  submitCard: (userid: string, entryId: string, submit: CardSubmit) =>
    request<{ ok: true }>('POST', `${chat(userid)}/cards/${encodeURIComponent(entryId)}`, submit),
};

export const EVENTS_URL = `${BASE}/events`;

export function errorText(err: unknown): string {
  return err instanceof ApiError ? err.message : '出错了，请稍后再试';
}
