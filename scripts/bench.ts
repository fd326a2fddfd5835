/**
 * `npm run bench`: the project's benchmarks. Each figure is reported next to a
 * baseline measured in the same run, so ratios hold from machine to machine.
 * REDIS_URL and MONGODB_URI are read here as the tests read them (a tool, not the bot).
 */
import { benchCallbacks, row } from './bench/callback';

async function main(): Promise<void> {
  const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  const requests = Number(process.env.BENCH_REQUESTS || 3000);
  const concurrency = Number(process.env.BENCH_CONCURRENCY || 16);

  console.log(`# Callback benchmark: ${requests} requests, ${concurrency} in flight`);
  const targets = [undefined, process.env.MONGODB_URI].filter((u, i) => i === 0 || u);
  for (const mongodbUri of targets) {
    const { results, stored, database } = await benchCallbacks({
      requests,
      concurrency,
      redisUrl,
      mongodbUri,
    });
    const [bare, callback] = results as [(typeof results)[0], (typeof results)[0]];
    console.log(`## database: ${database}`);
    for (const m of results) console.log(row(m));
    console.log(`stored callbacks: ${stored} (of ${requests + 200} sent, warm-up included)`);
    console.log(
      `ratio: callback throughput is ${((callback.perSecond / bare.perSecond) * 100).toFixed(1)}% of bare Koa; p50 ${(callback.p50ms / bare.p50ms).toFixed(1)}×, p99 ${(callback.p99ms / bare.p99ms).toFixed(1)}×`,
    );
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
