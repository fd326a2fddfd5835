import { useEffect } from 'preact/hooks';

export interface Status {
  text: string;
  error: boolean;
}

interface Props {
  status: Status | null;
  onClear: () => void;
}

// Errors stay longer: they usually ask the person to do something.
const SHOW_MS = { info: 8000, error: 15000 };

/** A one-line toast for what the last action did, or why it failed. */
export function StatusLine({ status, onClear }: Props) {
  useEffect(() => {
    if (!status) return;
    const timer = window.setTimeout(onClear, status.error ? SHOW_MS.error : SHOW_MS.info);
    return () => window.clearTimeout(timer);
  }, [status, onClear]);

  // The live region stays in the page even when empty, so screen readers announce changes.
  return (
    <div class={`status ${status?.error ? 'status-error' : ''}`} role="status" onClick={onClear}>
      {status?.text ?? ''}
    </div>
  );
}
