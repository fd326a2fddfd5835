import type { Person } from './api';
import { personLabel } from './format';

interface Props {
  people: Person[];
  userid: string;
  /** New messages per person not yet looked at. */
  unread: Record<string, number>;
  onSelect: (userid: string) => void;
}

/** Title and the "who am I" picker that stands in for logging into WeCom. */
export function Header({ people, userid, unread, onSelect }: Props) {
  return (
    <header class="header">
      <h1>Kaohe 模拟器</h1>
      {people.length > 0 && (
        <select
          aria-label="当前身份"
          value={userid}
          onChange={(e) => onSelect(e.currentTarget.value)}
        >
          {people.map((p) => (
            <option key={p.userid} value={p.userid}>
              {personLabel(p)}
              {unread[p.userid] ? ` · ${unread[p.userid]} 条新消息` : ''}
            </option>
          ))}
        </select>
      )}
    </header>
  );
}
