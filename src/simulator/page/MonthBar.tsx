import { useState } from 'preact/hooks';
import type { MonthAction, Overview } from './api';

interface Props {
  overview: Overview | null;
  onAction: (action: MonthAction) => Promise<void>;
}

const ACTIONS: { action: MonthAction; label: string }[] = [
  { action: 'open', label: '开始本月' },
  { action: 'remind', label: '提醒' },
  { action: 'close', label: '结束本月' },
];

/** The month's state and the three things the schedule would otherwise do. */
export function MonthBar({ overview, onAction }: Props) {
  const [busy, setBusy] = useState(false);

  async function run(action: MonthAction) {
    setBusy(true);
    try {
      await onAction(action);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="month" aria-label="考核月份">
      <span class="month-status">{overview ? monthText(overview) : '加载中…'}</span>
      <div class="month-actions">
        {ACTIONS.map(({ action, label }) => (
          <button
            key={action}
            type="button"
            class="btn btn-small"
            disabled={busy || !overview}
            onClick={() => void run(action)}
          >
            {label}
          </button>
        ))}
      </div>
    </section>
  );
}

function monthText({ month, currentMonth }: Overview): string {
  if (!month) return '本月尚未开始';
  const state = month.status === 'open' ? `${month.key} 考核进行中` : `${month.key} 已结束`;
  // The latest month may be last month's, already closed: say this month has not begun.
  return month.key !== currentMonth && month.status === 'closed' ? `${state}，本月尚未开始` : state;
}
