import { useState } from 'preact/hooks';

interface Props {
  onLoadDemo: () => Promise<void>;
}

/** Shown while nobody is on the roster: one tap loads a demo team. */
export function EmptyRoster({ onLoadDemo }: Props) {
  const [busy, setBusy] = useState(false);

  async function load() {
    setBusy(true);
    try {
      await onLoadDemo();
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="empty">
      <p>还没有人员。加载一个示例团队（经理、主管、领班和六名员工）来体验？</p>
      <button type="button" class="btn btn-blue" disabled={busy} onClick={() => void load()}>
        加载示例团队
      </button>
    </div>
  );
}
