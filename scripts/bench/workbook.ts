/**
 * Workbook benchmark: the monthly workbook of a synthetic 10,000-person month
 * (no database: only the writer is measured), next to a floor written in the
 * same run — the same cell values streamed into one plain sheet, no styles.
 * Prints the time and the process RSS before, at its peak and after.
 */
import { performance } from 'node:perf_hooks';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { loadConfig } from '../../config';
import { writeWorkbook } from '../../src/reports/workbook';
import type { MonthReport, ReportRow } from '../../src/features/reports/report-service';

/** Time, output size and RSS of one writer. */
export interface WorkbookRun {
  seconds: number;
  bytes: number;
  rssBeforeMb: number;
  rssPeakMb: number;
  rssAfterMb: number;
}

/** Writes the workbook of `staff` people, then the floor; returns both runs. */
export async function benchWorkbook(options: { staff: number }) {
  const report = syntheticMonth(options.staff);
  const floor = await run((out) => writeFloor(report, out));
  const workbook = await run((out) => writeWorkbook(report, out));
  return { floor, workbook };
}

async function run(write: (out: PassThrough) => Promise<void>): Promise<WorkbookRun> {
  // Bytes are counted and dropped: the file itself is not what is measured here.
  let bytes = 0;
  const out = new PassThrough();
  out.on('data', (chunk: Buffer) => (bytes += chunk.length));
  const mb = () => process.memoryUsage().rss / 1e6;
  const rssBeforeMb = mb();
  let rssPeakMb = rssBeforeMb;
  const sampler = setInterval(() => (rssPeakMb = Math.max(rssPeakMb, mb())), 50);
  const t0 = performance.now();
  await write(out);
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  const rssAfterMb = mb();
  return { seconds, bytes, rssBeforeMb, rssPeakMb: Math.max(rssPeakMb, rssAfterMb), rssAfterMb };
}

/** The floor: every value the workbook holds, in one unstyled sheet, streamed. */
async function writeFloor(report: MonthReport, out: PassThrough): Promise<void> {
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out });
  const sheet = writer.addWorksheet('plain');
  const form = report.month.form;
  for (const row of report.rows) {
    // The synthetic month's forms are Maps, as mongoose gives them.
    const selfScores = row.doc.self.scores as Map<string, number>;
    sheet.addRow([form.formTitle]).commit();
    sheet.addRow([row.person.name, row.person.employeeNo, report.month.key]).commit();
    for (const c of form.criteria)
      sheet.addRow([c.no, c.title, c.max, selfScores.get(String(c.no)) ?? null]).commit();
    sheet.addRow([row.result.selfTotal, row.result.supervisorTotal, row.result.final]).commit();
  }
  sheet.commit();
  await writer.commit();
}

/** A closed month of `staff` people, every form submitted, as the report service returns it. */
function syntheticMonth(staff: number): MonthReport {
  const form = loadConfig({}).assessment;
  const at = new Date('2024-05-31T00:00:00Z');
  const rows = Array.from({ length: staff }, (_, i): ReportRow => {
    const scores = new Map(form.criteria.map((c) => [String(c.no), c.max - ((i + c.no) % 4)]));
    const total = [...scores.values()].reduce((a, b) => a + b, 0);
    const part = { scores, remarks: new Map<string, string>(), status: 'submitted' };
    return {
      person: { userid: `u${i}`, name: `员工${i}`, employeeNo: `K${String(i).padStart(5, '0')}` },
      doc: { month: '2024-05', userid: `u${i}`, self: part, supervisor: part },
      result: {
        selfTotal: total,
        supervisorTotal: total - (i % 3),
        adjustmentTotal: 0,
        final: total - (i % 3),
        missingSelf: false,
        missingSupervisor: false,
      },
    } as unknown as ReportRow;
  });
  const month = { key: '2024-05', status: 'closed', form, openedAt: at, closedAt: at };
  return { month, rows, records: [] } as unknown as MonthReport;
}
