/**
 * The fake WeCom API in a process of its own, for the fan-out benchmark: in
 * the bot's process its HTTP server and the 10,000 request bodies it keeps
 * would be counted as the bot's memory and compete for the bot's event loop.
 * Forked by `startFakeWecomChild`; sends its API base once listening, answers
 * a 'count' message with how many messages each person got, and stops when
 * the parent disconnects.
 */
import { fork } from 'node:child_process';
import { startFakeWecom } from '../../test/fakes/fake-wecom';
import { helperEnv } from './rss';

/** A running fake WeCom in a child process. */
export interface FakeWecomChild {
  apiBase: string;
  pid: number;
  /** Messages received so far, by recipient (touser). */
  perPerson(): Promise<Map<string, number>>;
  stop(): Promise<void>;
}

/** Forks this file as the fake's process, answering each call after `latencyMs`. */
export function startFakeWecomChild(options: {
  corpId: string;
  secret: string;
  latencyMs: number;
}): Promise<FakeWecomChild> {
  const child = fork(__filename, ['--serve', JSON.stringify(options)], {
    execArgv: ['--import', 'tsx'],
    env: helperEnv(),
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('message', (apiBase) =>
      resolve({
        apiBase: String(apiBase),
        pid: child.pid!,
        perPerson: () =>
          new Promise((done) => {
            child.once('message', (counts) => done(new Map(counts as [string, number][])));
            child.send('count');
          }),
        stop: () =>
          new Promise((done) => {
            child.once('exit', () => done());
            child.disconnect();
          }),
      }),
    );
  });
}

if (process.argv.includes('--serve')) {
  const options = JSON.parse(process.argv[process.argv.indexOf('--serve') + 1]!) as {
    corpId: string;
    secret: string;
    latencyMs: number;
  };
  void startFakeWecom({ corpId: options.corpId, secret: options.secret }).then((fake) => {
    fake.setLatency(options.latencyMs);
    process.send!(fake.apiBase);
    process.on('message', () => {
      const counts = new Map<string, number>();
      for (const body of fake.sent)
        counts.set(String(body.touser), (counts.get(String(body.touser)) ?? 0) + 1);
      process.send!([...counts]);
    });
    process.once('disconnect', () => void fake.stop().then(() => process.exit(0)));
  });
}
