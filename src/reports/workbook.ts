import { PassThrough, type Writable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { monthLabel, type MonthKey } from '../assessment/month';
import { remarkOf, scoresOf } from '../assessment/scores';
import type { MonthReport, MonthRows, ReportRow } from '../features/reports/report-service';
import { describeRecord } from '../features/records/record-service';
import type { RecordDoc } from '../store/models/record';
import {
  releaseCommittedSheet,
  tuneForManySheets,
  writePlainRows,
  type PlainValue,
} from './sheet-rows';
import { SUMMARY_HEADER, summaryValues, type SummaryReport, type SummaryRow } from './summary-rows';
import { StreamedWorkbookWriter } from './workbook-zip';

const thin = { style: 'thin' as const };
const BORDER = { top: thin, left: thin, bottom: thin, right: thin };
// One style object for every cell that looks alike: exceljs caches a style's id by object
// identity, so a million table cells cost one style lookup each instead of rendering one.
const CELL: Partial<ExcelJS.Style> = {
  border: BORDER,
  alignment: { vertical: 'middle', wrapText: true },
};
const HEADER_CELL: Partial<ExcelJS.Style> = { font: { bold: true }, ...CELL };
const PLAIN: Partial<ExcelJS.Style> = {};
const TITLE: Partial<ExcelJS.Style> = {
  font: { bold: true, size: 16 },
  alignment: { horizontal: 'center' },
};
// Rows and columns have a style of their own too, looked up at every commit: a new `{}`
// for each of them cost a style rendering each (16 rows and 6 columns a person sheet).
const PLAIN_ROW: Partial<ExcelJS.Style> = {};
const BOLD_ROW: Partial<ExcelJS.Style> = { font: { bold: true } };
const PERSON_COLUMNS = [6, 44, 8, 8, 10, 30].map((width) => ({ width, style: PLAIN }));
const PERSON_HEADER = ['序号', '项目', '标准分', '自评分', '主管评分', '备注'];

type Writer = StreamedWorkbookWriter;
// The file's bytes are kept in pieces of about this size (see buildWorkbook).
const PIECE_BYTES = 256 * 1024;
// Person sheets laid out and compressed between two turns of the event loop (about 10 ms),
// so the bot goes on answering while a month's workbook is written.
const SHEETS_PER_TURN = 25;
/** A month for the workbook: all its rows in memory, or read a batch at a time. */
type WorkbookMonth = MonthReport | MonthRows;
type Sheet = ExcelJS.Worksheet;

/**
 * The month as HR archives it: a summary sheet (the ranking with its flags,
 * filterable and sortable) and one sheet per person laid out like the paper
 * 考核表, each ready to print on A4. Given several departments' reports, a
 * summary sheet for each (汇总-客服部…) comes before every person's sheet.
 * The file's bytes, for the chat upload.
 */
export async function buildWorkbook(report: WorkbookMonth | WorkbookMonth[]): Promise<Buffer> {
  // The zip's small chunks are gathered into pieces of their own: each sheet's compressed
  // bytes (about 1.5 kB) come as a slice of a buffer zlib took from Buffer's shared 8 kB pool
  // slabs (workbook-zip.ts), and keeping the slices would keep whole slabs alive with them.
  const pieces: Buffer[] = [];
  let small: Buffer[] = [];
  let smallBytes = 0;
  const gather = () => {
    if (small.length > 0) pieces.push(Buffer.concat(small, smallBytes));
    small = [];
    smallBytes = 0;
  };
  const sink = new PassThrough();
  sink.on('data', (chunk: Buffer) => {
    small.push(chunk);
    smallBytes += chunk.length;
    if (smallBytes >= PIECE_BYTES) gather();
  });
  await writeWorkbook(report, sink);
  gather();
  return Buffer.concat(pieces);
}

/**
 * Writes the workbook to `output` as it goes: each sheet is committed (turned
 * into compressed XML) as soon as it is laid out, so a 10,000-person month is
 * never held whole as an object model — only the finished file's bytes are.
 */
export async function writeWorkbook(
  reports: WorkbookMonth | WorkbookMonth[],
  output: Writable,
): Promise<void> {
  const all = Array.isArray(reports) ? reports : [reports];
  // Styles on (bold headers, borders); shared strings keep the repeated criteria titles small.
  const workbook = new StreamedWorkbookWriter({
    stream: output,
    useStyles: true,
    useSharedStrings: true,
  });
  workbook.creator = 'Kaohe';
  tuneForManySheets(workbook);
  const used = new Set<string>();
  // The summary sheets come first, so a month read in batches is read twice: once for its
  // summary lines (who and their result), once for the person sheets, never held whole.
  for (const report of all) {
    const name = all.length === 1 ? '汇总' : `汇总-${report.month.department}`;
    addSummarySheet(workbook, await summaryReport(report), sheetName(name, used));
  }
  let sheets = 0;
  for (const report of all) {
    const records = recordsByPerson(report);
    for await (const batch of batchesOf(report))
      for (const row of batch) {
        addPersonSheet(workbook, report, row, records.get(row.person.userid) ?? [], used);
        sheets += 1;
        if (sheets % SHEETS_PER_TURN === 0) {
          await new Promise((resolve) => setImmediate(resolve));
          // A slow reader of the file (an upload) holds the writer back instead of the file.
          await workbook.zip.drained();
        }
      }
  }
  await workbook.commit();
}

/** The summary as CSV for scripts: the same columns as the summary sheet, every row complete. */
export function summaryCsv(report: MonthReport): string {
  return stringify([SUMMARY_HEADER, ...summaryValues(report)]);
}

/** A month's rows, a batch at a time (one batch when they are all in memory). */
function batchesOf(report: WorkbookMonth): AsyncIterable<ReportRow[]> | ReportRow[][] {
  return 'rows' in report ? [report.rows] : report.batches();
}

/** The month's summary lines: only who and their result of each row, not its forms. */
async function summaryReport(report: WorkbookMonth): Promise<SummaryReport> {
  if ('rows' in report) return report;
  const rows: SummaryRow[] = [];
  for await (const batch of report.batches({ remarks: false, result: true }))
    for (const { person, result } of batch)
      rows.push({
        person: { userid: person.userid, name: person.name, employeeNo: person.employeeNo },
        result,
      });
  return { month: report.month, responses: report.responses, rows };
}

function addSummarySheet(workbook: Writer, report: SummaryReport, name: string): void {
  // A streamed sheet writes its views at once and its columns with the first row: both go first.
  const sheet: Sheet = workbook.addWorksheet(name, {
    views: [{ state: 'frozen', ySplit: 1 }],
    pageSetup: {
      paperSize: 9,
      orientation: 'portrait',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
    },
  });
  sheet.columns = [6, 10, 10, 8, 10, 12, 10, 28].map((width) => ({ width }));
  sheet.autoFilter = { from: 'A1', to: 'H1' };
  sheet.addRow(SUMMARY_HEADER).font = { bold: true };
  for (const values of summaryValues(report)) {
    const row = sheet.addRow(values);
    row.eachCell({ includeEmpty: true }, (cell) => (cell.style = PLAIN));
    row.commit();
  }
  sheet.commit();
  releaseCommittedSheet(workbook, sheet);
}

function addPersonSheet(
  workbook: Writer,
  report: WorkbookMonth,
  row: ReportRow,
  records: RecordDoc[],
  used: Set<string>,
): void {
  const { month } = report;
  const form = month.form;
  const sheet: Sheet = workbook.addWorksheet(
    sheetName(`${row.person.name}${row.person.employeeNo}`, used),
    {
      pageSetup: {
        paperSize: 9,
        orientation: 'portrait',
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: 1,
      },
    },
  );
  sheet.columns = PERSON_COLUMNS;
  sheet.mergeCells('A1:F1');
  // The merged title row goes through exceljs (it records the merge); the rest is plain rows.
  const title = sheet.getRow(1);
  title.getCell(1).value = form.formTitle;
  // Shared style objects here too: a cell's own style object costs exceljs a style lookup
  // that renders the style's XML (a tenth of the CPU, profiled), the merged cells' included.
  title.eachCell({ includeEmpty: true }, (cell) => (cell.style = PLAIN));
  title.getCell(1).style = TITLE;
  styleRow(title, PLAIN_ROW);
  title.commit();
  const info = [
    `被考核人：${row.person.name}`,
    '',
    `工号：${row.person.employeeNo}`,
    '',
    `考核日期：${monthLabel(month.key as MonthKey)}`,
  ];
  const self = row.doc.self.status === 'submitted' ? scoresOf(row.doc.self) : {};
  const sup = row.doc.supervisor.status === 'submitted' ? scoresOf(row.doc.supervisor) : {};
  const table: PlainValue[][] = form.criteria.map((c) => {
    const remarks = [remarkOf(row.doc.self, c.no), remarkOf(row.doc.supervisor, c.no)]
      .filter(Boolean)
      .join(';');
    return [c.no, c.title, c.max, self[c.no] ?? null, sup[c.no] ?? null, remarks || null];
  });
  const reasons = records.map(describeRecord).join(';');
  const adjustments = row.result.adjustmentTotal;
  table.push([form.criteria.length + 1, form.adjustmentsTitle, '±', null, adjustments, reasons]);
  const max = form.criteria.reduce((s, c) => s + c.max, 0);
  table.push([null, '总分', max, row.result.selfTotal, row.result.supervisorTotal, null]);
  const weights = `自评 ${form.weights.self * 100}% + 主管评分 ${form.weights.supervisor * 100}% + 其他奖惩分`;
  table.push([null, '最终得分', null, null, row.result.final, weights]);
  writePlainRows(sheet, [
    { values: info, style: PLAIN_ROW, cellStyle: PLAIN },
    { values: PERSON_HEADER, style: BOLD_ROW, cellStyle: HEADER_CELL },
    ...table.map((values) => ({ values, style: PLAIN_ROW, cellStyle: CELL })),
  ]);
  // Done with this person: from here on the sheet is compressed bytes, not cells.
  sheet.commit();
  releaseCommittedSheet(workbook, sheet);
}

/** Sets a row's own style object (exceljs's Row has one, its typings do not say so). */
function styleRow(row: ExcelJS.Row, style: Partial<ExcelJS.Style>): void {
  (row as unknown as { style: Partial<ExcelJS.Style> }).style = style;
}

/** The month's records by person, in their stored order (one pass, not one per sheet). */
function recordsByPerson(report: WorkbookMonth): Map<string, RecordDoc[]> {
  const byPerson = new Map<string, RecordDoc[]>();
  for (const r of report.records) byPerson.set(r.userid, [...(byPerson.get(r.userid) ?? []), r]);
  return byPerson;
}

/** Excel sheet names: at most 31 characters, none of []:*?/\, unique in the workbook. */
function sheetName(wanted: string, used: Set<string>): string {
  const base = wanted.replace(/[[\]:*?/\\]/g, '').slice(0, 28);
  let name = base;
  for (let i = 2; used.has(name); i += 1) name = `${base}-${i}`;
  used.add(name);
  return name;
}
