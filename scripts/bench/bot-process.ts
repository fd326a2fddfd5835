/**
 * Runs one of the benchmarks' bots (`fanout-bot`, `report-bot`) in a process
 * of its own, so the RSS it samples is the bot's alone. By default it is
 * compiled first and run by plain node, as production runs the bot
 * (`npm run build`, `npm run serve`); BENCH_BOT=tsx runs it from source under
 * tsx, as `npm start` does in development. Either way it gets the node
 * flags `npm run serve` gives the bot (its heap ceiling), the bench's
 * NODE_OPTIONS and BENCH_BOT_ARGS (e.g. --cpu-prof, --trace-gc).
 */
import { execFileSync, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
let built = false;

/** The node flags of `npm run serve` (`node --flag… dist/src/main.js`), so the bench runs the bot as production does. */
export function serveFlags(): string[] {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  return pkg.scripts.serve!.split(/\s+/).filter((arg) => arg.startsWith('--'));
}

/** Forks `scripts/bench/<name>` with `--run <options>` and resolves with the one answer it sends. */
export function runBotProcess<Result>(
  name: 'fanout-bot' | 'report-bot',
  options: object,
): Promise<Result & { runner: string }> {
  const runner = process.env.BENCH_BOT === 'tsx' ? 'tsx' : 'node';
  const extra = [...serveFlags(), ...(process.env.BENCH_BOT_ARGS ?? '').split(' ').filter(Boolean)];
  if (runner === 'node' && !built) {
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT });
    built = true;
  }
  const args = ['--run', JSON.stringify(options)];
  const child =
    runner === 'tsx'
      ? fork(path.join(__dirname, `${name}.ts`), args, { execArgv: ['--import', 'tsx', ...extra] })
      : fork(path.join(ROOT, `dist/scripts/bench/${name}.js`), args, { execArgv: extra });
  return new Promise((resolve, reject) => {
    let result: Result | undefined;
    child.once('error', reject);
    child.once('message', (answer) => (result = answer as Result));
    child.once('exit', (code) =>
      result ? resolve({ ...result, runner }) : reject(new Error(`${name} exited with ${code}`)),
    );
  });
}

/**
 * In a bot's own file: when forked with `--run <options>`, runs `run` and
 * answers its figures once to the parent, then exits (1 on a failure).
 */
export function answerWhenForked<Options, Result>(
  run: (options: Options) => Promise<Result>,
): void {
  const runArg = process.argv.indexOf('--run');
  if (runArg < 0) return;
  run(JSON.parse(process.argv[runArg + 1]!) as Options).then(
    (result) => process.send!(result, () => process.exit(0)),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
