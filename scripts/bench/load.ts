/**
 * The callback benchmark's load generator, run as a process of its own
 * (forked by callback.ts) so that sending, sealing and timing do not share
 * the event loop and the CPU time of the servers being measured.
 * Receives one job on the IPC channel, answers with the measurements, exits.
 */
import { Agent, request } from 'undici';
import { callbackPath, textCallback } from '../../test/helpers/wecom-callback';
import type { WecomSettings } from '../../src/channels/wecom/settings';
import { measure, type Measurement } from './measure';

/** One endpoint to load: where, and what its callbacks say. */
export interface LoadTarget {
  name: string;
  /** Base URL; callbacks go to `${url}/wecom/callback?…`. */
  url: string;
  /** The text each callback carries; by default a score from 0 to 10. */
  content?: string;
  /** First MsgId, so that no two runs send the same message (the bot drops repeats). */
  firstMsgId: number;
  requests: number;
  /** Callbacks sent before the measured ones, unmeasured, so that each endpoint runs warm. */
  warmup: number;
}

/** What the parent sends. */
export interface LoadJob {
  settings: WecomSettings;
  concurrency: number;
  senders: number;
  targets: LoadTarget[];
}

/** What the child answers: a measurement per target and how many answers had a body. */
export interface LoadResult {
  results: Measurement[];
  withBody: number[];
}

/** What the child tells the parent at each end of a target's run; the parent answers 'go' once it has taken its CPU readings. */
export interface LoadMark {
  mark: 'start' | 'end';
}

// The servers' CPU time is read by the parent at each end of a run, outside the timed window.
function mark(edge: LoadMark['mark']): Promise<void> {
  return new Promise((resolve) => {
    process.once('message', () => resolve());
    process.send!({ mark: edge } satisfies LoadMark);
  });
}

async function run(job: LoadJob): Promise<LoadResult> {
  // undici's request on a keep-alive pool, not fetch: fetch's web streams cost the generator
  // about as much CPU a call as the bare endpoint takes, and capped what it could send.
  const agent = new Agent({ connections: job.concurrency });
  const results: Measurement[] = [];
  const withBody: number[] = [];
  for (const target of job.targets) {
    // Sealed before the clock starts: WeCom does the sealing, not the receiver.
    const sealed = Array.from({ length: target.warmup + target.requests }, (_, i) =>
      textCallback(job.settings, {
        from: `user${i % job.senders}`,
        content: target.content ?? String(i % 11),
        msgId: String(target.firstMsgId + i),
      }),
    );
    const send = (c: (typeof sealed)[number]) => async () => {
      const answer = await request(`${target.url}${callbackPath(c.query)}`, {
        method: 'POST',
        body: c.body,
        headers: { 'content-type': 'text/xml' },
        dispatcher: agent,
      });
      return { status: answer.statusCode, arrayBuffer: () => answer.body.arrayBuffer() };
    };
    // V8 optimises a path only after it has run for a while: the bot's is longer than the floor's.
    await measure('warm-up', sealed.slice(0, target.warmup).map(send), job.concurrency);
    let bodies = 0;
    await mark('start');
    results.push(
      await measure(
        target.name,
        sealed.slice(target.warmup).map(send),
        job.concurrency,
        (body) => void (bodies += body.byteLength > 0 ? 1 : 0),
      ),
    );
    await mark('end');
    withBody.push(bodies);
  }
  await agent.close();
  return { results, withBody };
}

process.once('message', (job: LoadJob) => {
  run(job).then(
    (result) => process.send!(result, () => process.exit(0)),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
});
