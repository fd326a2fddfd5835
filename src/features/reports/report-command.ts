import type { Bot } from '../../bot/bot';
import type { BotContext } from '../../bot/context';
import { departmentOf } from '../../assessment/department';
import { parseMonth, type MonthKey } from '../../assessment/month';
import { userError } from '../../lib/errors';
import type { ReportService } from './report-service';
import { summaryChartInput } from '../../reports/chart-input';
import { monthSummaryText, personFormText } from './texts';
import { overviewText, readOverview } from './overview';
import { assertMayRead, reportTarget } from './report-scope';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * /report YYYY-MM (报表): the month at a glance, of the manager's own
 * department, or for HR of every department (a total, then a line each);
 * /report YYYY-MM 部门: one department (HR); /report YYYY-MM 工号: that
 * person's filled form (a manager: their department's people only).
 */
export function registerReport(bot: Bot, reports: ReportService, departments: string[]): void {
  bot.command({
    names: ['/report', '报表'],
    roles: ['manager', 'hr'],
    help: '/report 2024-05（报表）查看该月报表；加工号查看个人考核表；人力资源可加部门，例如 /report 2024-05 客服部',
    run: async (ctx, args) => {
      const [monthText, word] = args.split(/\s+/).filter(Boolean);
      if (!monthText) throw userError('invalid_input', '请写明月份，例如：/report 2024-05');
      const key = parseMonth(monthText);
      const target = reportTarget(ctx.person, word, departments);
      if (target.kind === 'all') return replyOverview(ctx, reports, key, departments);
      if (target.kind === 'department')
        return replyDepartment(ctx, reports, key, target.department);
      const person = await reports.person(target.employeeNo);
      assertMayRead(ctx.person, person, target.employeeNo);
      const report = await reports.month(key, departmentOf(person));
      const row = report.rows.find((r) => r.person.userid === person.userid);
      if (!row)
        throw userError(
          'not_found',
          `${person.name}（${person.employeeNo}）在 ${key} 没有考核表。`,
        );
      ctx.reply(personFormText(report, row, await reports.trend(key, person)));
    },
  });
}

/** One department's month: the text, then the workbook and the chart. */
async function replyDepartment(
  ctx: BotContext,
  reports: ReportService,
  key: MonthKey,
  department: string,
): Promise<void> {
  // A closed month's text and chart come from its stored summary: no form is read for them.
  const view = await reports.summary(key, department);
  ctx.reply(monthSummaryText(view));
  // The text goes out now; reading every form and building the workbook of a large month takes a while.
  await ctx.sendSoFar();
  // HR's file: the summary and every person's form, sent with the chat summary.
  const [{ buildWorkbook }, { renderMonthChart }] = await Promise.all([
    loadWorkbook(),
    import('../../reports/chart.js'),
  ]);
  ctx.reply(workbookFile(key, await buildWorkbook(await reports.monthRows(key, department))));
  ctx.reply({
    type: 'image',
    fileName: `考核图表-${key}.png`,
    data: renderMonthChart(summaryChartInput(view.summary)),
  });
}

/** HR's month across departments: the overview, then one workbook with a summary sheet per department. */
async function replyOverview(
  ctx: BotContext,
  reports: ReportService,
  key: MonthKey,
  departments: string[],
): Promise<void> {
  const overview = await readOverview(reports, key, departments);
  ctx.reply(overviewText(overview));
  const opened = overview.parts.filter((p) => p.view !== null).map((p) => p.department);
  if (opened.length === 0) return;
  // The text goes out now, from the summaries; the workbook reads every form of every department.
  await ctx.sendSoFar();
  const monthReports = [];
  for (const department of opened) monthReports.push(await reports.monthRows(key, department));
  const { buildWorkbook } = await loadWorkbook();
  ctx.reply(workbookFile(key, await buildWorkbook(monthReports)));
}

/**
 * Loaded at the first /report: echarts, resvg and exceljs add about 100 MB to
 * every process that loads them, and the bot needs none of them to take
 * callbacks and send.
 */
function loadWorkbook() {
  return import('../../reports/workbook.js');
}

function workbookFile(key: MonthKey, data: Buffer) {
  return { type: 'file' as const, fileName: `考核报表-${key}.xlsx`, mimeType: XLSX, data };
}
