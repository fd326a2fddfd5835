import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { monthLabel, type MonthKey } from '../assessment/month';
import { scoresOf } from '../assessment/scores';
import type { MonthReport, ReportRow } from '../features/reports/report-service';
import { describeRecord } from '../features/records/record-service';
import { SUMMARY_HEADER, summaryValues } from './summary-rows';

const thin = { style: 'thin' as const };
const BORDER = { top: thin, left: thin, bottom: thin, right: thin };

/**
 * The month as HR archives it: a summary sheet (the ranking with its flags,
 * filterable and sortable) and one sheet per person laid out like the paper
 * 考核表, each ready to print on A4.
 */
export async function buildWorkbook(report: MonthReport): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Kaohe';
  addSummarySheet(workbook, report);
  const used = new Set<string>(['汇总']);
  for (const row of report.rows) addPersonSheet(workbook, report, row, used);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The summary as CSV for scripts: the same columns as the summary sheet, every row complete. */
export function summaryCsv(report: MonthReport): string {
  return stringify([SUMMARY_HEADER, ...summaryValues(report)]);
}

function addSummarySheet(workbook: ExcelJS.Workbook, report: MonthReport): void {
  const sheet = workbook.addWorksheet('汇总', {
    pageSetup: {
      paperSize: 9,
      orientation: 'portrait',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
    },
  });
  sheet.addRow(SUMMARY_HEADER).font = { bold: true };
  for (const values of summaryValues(report)) sheet.addRow(values);
  sheet.columns.forEach((column, i) => (column.width = [6, 10, 10, 8, 10, 12, 10, 28][i]));
  sheet.autoFilter = { from: 'A1', to: 'H1' };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
}

function addPersonSheet(
  workbook: ExcelJS.Workbook,
  report: MonthReport,
  row: ReportRow,
  used: Set<string>,
): void {
  const { month } = report;
  const form = month.form;
  const sheet = workbook.addWorksheet(
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
  sheet.columns = [
    { width: 6 },
    { width: 44 },
    { width: 8 },
    { width: 8 },
    { width: 10 },
    { width: 30 },
  ];
  sheet.mergeCells('A1:F1');
  sheet.getCell('A1').value = form.formTitle;
  sheet.getCell('A1').font = { bold: true, size: 16 };
  sheet.getCell('A1').alignment = { horizontal: 'center' };
  sheet.addRow([
    `被考核人：${row.person.name}`,
    '',
    `工号：${row.person.employeeNo}`,
    '',
    `考核日期：${monthLabel(month.key as MonthKey)}`,
  ]);
  const header = sheet.addRow(['序号', '项目', '标准分', '自评分', '主管评分', '备注']);
  header.font = { bold: true };
  const self = row.doc.self.status === 'submitted' ? scoresOf(row.doc.self) : {};
  const sup = row.doc.supervisor.status === 'submitted' ? scoresOf(row.doc.supervisor) : {};
  const table = [header];
  for (const c of form.criteria) {
    const remarks = [
      row.doc.self.remarks.get(String(c.no)),
      row.doc.supervisor.remarks.get(String(c.no)),
    ]
      .filter(Boolean)
      .join(';');
    table.push(
      sheet.addRow([c.no, c.title, c.max, self[c.no] ?? null, sup[c.no] ?? null, remarks || null]),
    );
  }
  const reasons = report.records
    .filter((r) => r.userid === row.person.userid)
    .map(describeRecord)
    .join(';');
  table.push(
    sheet.addRow([
      form.criteria.length + 1,
      form.adjustmentsTitle,
      '±',
      null,
      row.result.adjustmentTotal,
      reasons,
    ]),
  );
  const max = form.criteria.reduce((s, c) => s + c.max, 0);
  table.push(
    sheet.addRow([null, '总分', max, row.result.selfTotal, row.result.supervisorTotal, null]),
  );
  const weights = `自评 ${form.weights.self * 100}% + 主管评分 ${form.weights.supervisor * 100}% + 其他奖惩分`;
  table.push(sheet.addRow([null, '最终得分', null, null, row.result.final, weights]));
  for (const r of table) {
    r.eachCell({ includeEmpty: true }, (cell) => {
      cell.border = BORDER;
      cell.alignment = { vertical: 'middle', wrapText: true };
    });
  }
}

/** Excel sheet names: at most 31 characters, none of []:*?/\, unique in the workbook. */
function sheetName(wanted: string, used: Set<string>): string {
  const base = wanted.replace(/[[\]:*?/\\]/g, '').slice(0, 28);
  let name = base;
  for (let i = 2; used.has(name); i += 1) name = `${base}-${i}`;
  used.add(name);
  return name;
}
