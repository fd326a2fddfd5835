import { readFileSync } from 'node:fs';

/** Resident memory of a process now and at its peak (VmRSS, VmHWM), in MB; Linux only. */
export function rssOf(pid: number | 'self'): { nowMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { nowMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/**
 * The environment for a helper process of a benchmark (database, fake API):
 * without NODE_OPTIONS, so a heap limit given to the bot's process
 * (NODE_OPTIONS=--max-old-space-size=…) is not imposed on them too.
 */
export function helperEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  return env;
}
