import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import {
  api,
  errorText,
  EVENTS_URL,
  type CardSubmit,
  type ChatEntry,
  type EntryEvent,
  type MonthAction,
  type Overview,
} from './api';
import { ChatLog } from './ChatLog';
import { Composer } from './Composer';
import { EmptyRoster } from './EmptyRoster';
import { Header } from './Header';
import { MonthBar } from './MonthBar';
import { StatusLine, type Status } from './StatusLine';

const STORED_USER = 'kaohe-simulator-userid';

export function App() {
  const [overview, setOverview] = useState<Overview | null>(null);
  const [userid, setUserid] = useState(() => readStored());
  const [entries, setEntries] = useState<ChatEntry[]>([]);
  const [status, setStatus] = useState<Status | null>(null);
  // Messages for people not shown: the picker counts them, as a messenger marks unread chats.
  const [unread, setUnread] = useState<Record<string, number>>({});
  const counted = useRef(new Set<string>());
  // Async results (fetches, SSE) must be checked against the person shown *now*.
  const shown = useRef('');

  const people = overview?.people ?? [];
  const person = people.find((p) => p.userid === userid) ?? people[0];
  shown.current = person?.userid ?? '';

  const say = useCallback((text: string, error = false) => setStatus({ text, error }), []);
  const clearStatus = useCallback(() => setStatus(null), []);

  const loadOverview = useCallback(async () => {
    try {
      setOverview(await api.overview());
    } catch (err) {
      say(errorText(err), true);
    }
  }, [say]);

  const loadChat = useCallback(
    async (id: string) => {
      if (!id) return;
      try {
        const { entries: fresh } = await api.chat(id);
        for (const e of fresh) counted.current.add(e.id);
        if (shown.current === id) setEntries((local) => mergeFetched(fresh, local));
      } catch (err) {
        say(errorText(err), true);
      }
    },
    [say],
  );

  useEffect(() => {
    void loadOverview();
  }, [loadOverview]);

  useEffect(() => {
    setEntries([]);
    if (!person) return;
    writeStored(person.userid);
    setUnread(({ [person.userid]: _seen, ...others }) => others);
    void loadChat(person.userid);
  }, [person?.userid, loadChat]);

  // One stream for everyone's chats; EventSource reconnects by itself, and each
  // (re)open refetches what may have been missed while it was down.
  useEffect(() => {
    const source = new EventSource(EVENTS_URL);
    let reconnect = false;
    source.onopen = () => {
      if (reconnect) void loadOverview();
      reconnect = true;
      void loadChat(shown.current);
    };
    source.onmessage = (e: MessageEvent<string>) => {
      const event = parseEvent(e.data);
      if (!event) return;
      const { entry } = event;
      if (entry.userid === shown.current) {
        counted.current.add(entry.id);
        setEntries((list) => upsert(list, entry));
      } else if (entry.from === 'bot' && !counted.current.has(entry.id)) {
        // A changed card arrives again under the same id; only new messages count.
        counted.current.add(entry.id);
        setUnread((all) => ({ ...all, [entry.userid]: (all[entry.userid] ?? 0) + 1 }));
      }
    };
    return () => source.close();
  }, [loadChat, loadOverview]);

  async function monthAction(action: MonthAction) {
    try {
      say((await api.month(action)).text);
    } catch (err) {
      say(errorText(err), true);
    }
    await loadOverview();
  }

  async function loadDemo() {
    try {
      await api.loadDemo();
    } catch (err) {
      say(errorText(err), true);
    }
    await loadOverview();
  }

  async function send(text: string): Promise<boolean> {
    const id = shown.current;
    try {
      const { entry } = await api.send(id, text);
      if (shown.current === entry.userid) setEntries((list) => upsert(list, entry));
      return true;
    } catch (err) {
      say(errorText(err), true);
      return false;
    }
  }

  async function submitCard(entryId: string, submit: CardSubmit) {
    try {
      await api.submitCard(shown.current, entryId, submit);
    } catch (err) {
      say(errorText(err), true);
    }
  }

  const emptyRoster = overview !== null && people.length === 0;

  return (
    <div class="app">
      <Header
        people={people}
        userid={person?.userid ?? ''}
        unread={unread}
        onSelect={(id) => setUserid(id)}
      />
      <MonthBar overview={overview} onAction={monthAction} />
      <StatusLine status={status} onClear={clearStatus} />
      <ChatLog
        entries={entries}
        selfInitial={person?.name.slice(0, 1) ?? ''}
        onCardSubmit={submitCard}
      >
        {overview === null ? (
          <p class="log-empty">加载中…</p>
        ) : emptyRoster ? (
          <EmptyRoster onLoadDemo={loadDemo} />
        ) : undefined}
      </ChatLog>
      <Composer disabled={!person} onSend={send} />
    </div>
  );
}

/** An entry seen again (e.g. a card that was finished) replaces the old one in place. */
function upsert(list: ChatEntry[], entry: ChatEntry): ChatEntry[] {
  const i = list.findIndex((e) => e.id === entry.id);
  if (i < 0) return [...list, entry];
  const next = list.slice();
  next[i] = entry;
  return next;
}

// The fetched list is the truth, except that entries which arrived over SSE
// while it was in flight are kept, and a card finished locally stays finished
// (a card never goes back to being open).
function mergeFetched(fresh: ChatEntry[], local: ChatEntry[]): ChatEntry[] {
  const byId = new Map(local.map((e) => [e.id, e]));
  const merged = fresh.map((e) => {
    const mine = byId.get(e.id);
    return mine?.replacedLabel !== undefined && e.replacedLabel === undefined ? mine : e;
  });
  const seen = new Set(fresh.map((e) => e.id));
  return [...merged, ...local.filter((e) => !seen.has(e.id))];
}

function parseEvent(data: string): EntryEvent | null {
  try {
    const event = JSON.parse(data) as Partial<EntryEvent>;
    return event.type === 'entry' && event.entry ? (event as EntryEvent) : null;
  } catch {
    return null;
  }
}

// localStorage can throw (private mode, blocked storage); the page works without it.
function readStored(): string {
  try {
    return localStorage.getItem(STORED_USER) ?? '';
  } catch {
    return '';
  }
}

function writeStored(userid: string): void {
  try {
    localStorage.setItem(STORED_USER, userid);
  } catch {
    // Not remembered, nothing more.
  }
}
