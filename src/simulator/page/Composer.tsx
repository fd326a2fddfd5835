import { useRef, useState } from 'preact/hooks';

interface Props {
  disabled: boolean;
  // Resolves false when the message did not go out, so the text can be given back.
  onSend: (text: string) => Promise<boolean>;
}

/** The input bar at the bottom: Enter or 发送 sends. */
export function Composer({ disabled, onSend }: Props) {
  const [text, setText] = useState('');
  const input = useRef<HTMLInputElement>(null);

  async function send(e: Event) {
    e.preventDefault();
    const message = text.trim();
    if (!message || disabled) return;
    // Clear at once so the next message can be typed while this one is on its way.
    setText('');
    input.current?.focus();
    if (!(await onSend(message))) setText((now) => now || message);
  }

  return (
    <form class="composer" onSubmit={send}>
      <input
        ref={input}
        type="text"
        aria-label="输入消息"
        placeholder="输入数字或命令，如 /help"
        autocomplete="off"
        enterkeyhint="send"
        value={text}
        disabled={disabled}
        onInput={(e) => setText(e.currentTarget.value)}
      />
      <button type="submit" class="btn btn-blue" disabled={disabled}>
        发送
      </button>
    </form>
  );
}
