/**
 * Report export for scripts: `npm run report -- 2024-05 --csv` prints the
 * month's summary as CSV; `--xlsx FILE` writes the workbook the manager gets;
 * `--department 秩序部` picks a department other than the default one.
 * Like the roster tool, it goes through a running bot's embedded database.
 */
import { createWriteStream } from 'node:fs';
import { ConfigError, loadConfig } from '../config';
import { parseMonth } from '../src/assessment/month';
import { createLogger } from '../src/lib/logger';
import { summaryCsv, writeWorkbook } from '../src/reports/workbook';
import { ReportService } from '../src/features/reports/report-service';
import { openDatabase } from '../src/store/database';
import { createRepositories } from '../src/store/repositories';

const USAGE = 'usage: npm run report -- YYYY-MM --csv | --xlsx FILE [--department NAME]';

async function main(argv: string[]): Promise<number> {
  const at = argv.indexOf('--department');
  const department = at >= 0 ? argv[at + 1] : undefined;
  if (at >= 0 && !department) {
    console.error(USAGE);
    return 1;
  }
  const [month, format, file] = at >= 0 ? [...argv.slice(0, at), ...argv.slice(at + 2)] : argv;
  if (!month || (format !== '--csv' && format !== '--xlsx') || (format === '--xlsx' && !file)) {
    console.error(USAGE);
    return 1;
  }
  const key = parseMonth(month);
  const config = loadConfig();
  const known = config.departments.map((d) => d.department);
  if (department && !known.includes(department)) {
    console.error(`report: no department ${department} (configured: ${known.join(', ')})`);
    return 1;
  }
  const database = await openDatabase(config, createLogger({ level: 'warn' }), {
    shareRunning: true,
  });
  try {
    const reports = new ReportService(createRepositories(database.models));
    const report = await reports.month(key, department ?? known[0]);
    if (format === '--csv') process.stdout.write(summaryCsv(report));
    // Streamed to the file: a large month's workbook is never held whole.
    else await writeWorkbook(report, createWriteStream(file!));
    return 0;
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : `report: ${(err as Error).message}`);
    process.exit(1);
  },
);
