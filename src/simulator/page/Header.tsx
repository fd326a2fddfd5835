import type { Person } from './api';
import { personLabel } from './format';

interface Props {
  people: Person[];
  userid: string;
  onSelect: (userid: string) => void;
}

/** Title and the "who am I" picker that stands in for logging into WeCom. */
export function Header({ people, userid, onSelect }: Props) {
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
            </option>
          ))}
        </select>
      )}
    </header>
  );
}
