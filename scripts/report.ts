/**
 * Report export for scripts: `npm run report -- 2024-05 --csv` prints the
 * month's summary as CSV; `--xlsx FILE` writes the workbook the manager gets.
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

const USAGE = 'usage: npm run report -- YYYY-MM --csv | --xlsx FILE';

async function main([month, format, file]: string[]): Promise<number> {
  if (!month || (format !== '--csv' && format !== '--xlsx') || (format === '--xlsx' && !file)) {
    console.error(USAGE);
    return 1;
  }
  const key = parseMonth(month);
  const database = await openDatabase(loadConfig(), createLogger({ level: 'warn' }), {
    shareRunning: true,
  });
  try {
    const reports = new ReportService(createRepositories(database.models));
    const report = await reports.month(key);
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
