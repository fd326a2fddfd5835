import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';
import type { CardSubmit, ChatEntry } from './api';
import { Bubble } from './Bubble';

interface Props {
  entries: ChatEntry[];
  selfInitial: string;
  onCardSubmit: (entryId: string, submit: CardSubmit) => Promise<void>;
  // Shown instead of the entries, e.g. the empty-roster panel.
  children?: ComponentChildren;
}

// Within this many pixels of the end counts as "reading the latest".
const NEAR_BOTTOM = 80;

// Preact's types allow only role="main" on <main>; the log role is what lets
// assistive tech (and tests) find the chat, so it is set past the type.
const LOG_ROLE = { role: 'log' } as Record<string, string>;

/** The current person's chat, kept scrolled to the newest entry. */
export function ChatLog({ entries, selfInitial, onCardSubmit, children }: Props) {
  const log = useRef<HTMLElement>(null);
  const lastId = entries[entries.length - 1]?.id;

  // A new last entry (a new message, or another person's chat) scrolls to the end;
  // a card that merely changed in place does not.
  useLayoutEffect(() => {
    const el = log.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [lastId]);

  // Images grow the log after they load; follow them if the reader was at the end.
  function onImageLoad(e: Event) {
    const el = log.current;
    if (!el || !(e.target instanceof HTMLImageElement)) return;
    const img = e.target.getBoundingClientRect().height;
    if (el.scrollHeight - el.scrollTop - el.clientHeight <= NEAR_BOTTOM + img) {
      el.scrollTop = el.scrollHeight;
    }
  }

  return (
    <main ref={log} class="log" {...LOG_ROLE} aria-label="聊天记录" onLoadCapture={onImageLoad}>
      {children ??
        (entries.length === 0 ? (
          <p class="log-empty">还没有消息。发送 /help 试试。</p>
        ) : (
          entries.map((entry) => (
            <Bubble
              key={entry.id}
              entry={entry}
              selfInitial={selfInitial}
              onCardSubmit={onCardSubmit}
            />
          ))
        ))}
    </main>
  );
}
