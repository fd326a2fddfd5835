import { performance } from 'node:perf_hooks';

/** Throughput and answer-time percentiles of one measured run. */
export interface Measurement {
  name: string;
  requests: number;
  seconds: number;
  perSecond: number;
  p50ms: number;
  p99ms: number;
}

/** What measure reads of an answer: a fetch Response, or an undici `request` answer adapted. */
export interface Answer {
  status: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** Sends every request with `concurrency` in flight and measures each answer time. */
export async function measure(
  name: string,
  requests: (() => Promise<Answer>)[],
  concurrency: number,
  /** Sees each answer's body (e.g. to count passive replies). */
  onBody: (body: ArrayBuffer) => void = () => undefined,
): Promise<Measurement> {
  const times: number[] = [];
  const queue = [...requests];
  const started = performance.now();
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const t0 = performance.now();
      const answer = await next();
      const body = await answer.arrayBuffer();
      onBody(body);
      if (answer.status !== 200) throw new Error(`${name}: HTTP ${answer.status}`);
      times.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return {
    name,
    requests: times.length,
    seconds,
    perSecond: times.length / seconds,
    p50ms: at(0.5),
    p99ms: at(0.99),
  };
}

/** One table row. */
export function row(m: Measurement): string {
  return `${m.name.padEnd(34)} ${m.perSecond.toFixed(0).padStart(7)}/s   p50 ${m.p50ms.toFixed(2).padStart(7)} ms   p99 ${m.p99ms.toFixed(2).padStart(7)} ms`;
}
