/**
 * Roster tool: `npm run roster -- import FILE` checks a CSV roster whole and
 * syncs it (all or nothing); `npm run roster -- list` prints the roster;
 * `npm run roster -- sync wecom|dingtalk [--dry-run]` takes it from the
 * company directory (see src/roster/sync-command.ts).
 * With the embedded database it goes through the running bot's server when
 * one is running, and works on the data folder when none is.
 */
import { readFileSync } from 'node:fs';
import { ConfigError, loadConfig } from '../config';
import { createLogger } from '../src/lib/logger';
import { formatProblems, formatReport, importRoster } from '../src/roster/import-roster';
import { runDirectorySync, SYNC_USAGE } from '../src/roster/sync-command';
import { openDatabase } from '../src/store/database';
import { createRepositories } from '../src/store/repositories';

const USAGE = `usage: npm run roster -- import FILE | list | ${SYNC_USAGE}`;

async function main(argv: string[]): Promise<number> {
  const [command, file] = argv;
  if (command === 'sync') return runDirectorySync(argv.slice(1), USAGE);
  if (command !== 'import' && command !== 'list') return fail(USAGE);
  if (command === 'import' && !file) return fail(USAGE);

  const config = loadConfig();
  const logger = createLogger({ level: 'warn' });
  const database = await openDatabase(config, logger, { shareRunning: true });
  try {
    const people = createRepositories(database.models).people;
    if (command === 'list') {
      for (const p of await people.all()) {
        const line = [
          p.employeeNo,
          p.userid,
          p.name,
          p.roles.join('|'),
          p.supervisorUserid ?? '-',
          p.platform,
        ];
        console.log(`${line.join('\t')}${p.active ? '' : '\t(inactive)'}`);
      }
      return 0;
    }
    const result = await importRoster(
      readFileSync(file!, 'utf8'),
      people,
      'roster-tool',
      new Date(),
    );
    if (!result.ok)
      return fail(
        `${file} was not imported; nothing was changed:\n${formatProblems(result.problems)}`,
      );
    console.log(
      `${file} imported into the ${database.description}: ${formatReport(result.report)}`,
    );
    return 0;
  } finally {
    await database.close();
  }
}

function fail(message: string): number {
  console.error(message);
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : `roster: ${(err as Error).message}`);
    process.exit(1);
  },
);
