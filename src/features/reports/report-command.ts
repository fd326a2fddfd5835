import type { Bot } from '../../bot/bot';
import { parseMonth } from '../../assessment/month';
import { userError } from '../../lib/errors';
import type { ReportService } from './report-service';
import { summaryChartInput } from '../../reports/chart-input';
import { monthSummaryText, personFormText } from './texts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** /report YYYY-MM (报表): the month at a glance; /report YYYY-MM 工号: that person's filled form. */
export function registerReport(bot: Bot, reports: ReportService): void {
  bot.command({
    names: ['/report', '报表'],
    roles: ['manager'],
    help: '/report 2024-05（报表）查看该月报表；加工号查看个人考核表',
    run: async (ctx, args) => {
      const [monthText, employeeNo] = args.split(/\s+/).filter(Boolean);
      if (!monthText) throw userError('invalid_input', '请写明月份，例如：/report 2024-05');
      const key = parseMonth(monthText);
      if (!employeeNo) {
        // A closed month's text and chart come from its stored summary: no form is read for them.
        const view = await reports.summary(key);
        ctx.reply(monthSummaryText(view));
        // The text goes out now; reading every form and building the workbook of a large month takes a while.
        await ctx.sendSoFar();
        // HR's file: the summary and every person's form, sent with the chat summary.
        // Loaded at the first /report: echarts, resvg and exceljs add about 100 MB to every
        // process that loads them, and the bot needs none of them to take callbacks and send.
        const [{ buildWorkbook }, { renderMonthChart }] = await Promise.all([
          import('../../reports/workbook.js'),
          import('../../reports/chart.js'),
        ]);
        ctx.reply({
          type: 'file',
          fileName: `考核报表-${key}.xlsx`,
          mimeType: XLSX,
          data: await buildWorkbook(await reports.month(key)),
        });
        ctx.reply({
          type: 'image',
          fileName: `考核图表-${key}.png`,
          data: renderMonthChart(summaryChartInput(view.summary)),
        });
        return;
      }
      const report = await reports.month(key);
      const person = await reports.person(employeeNo);
      const row = report.rows.find((r) => r.person.userid === person.userid);
      if (!row)
        throw userError(
          'not_found',
          `${person.name}（${person.employeeNo}）在 ${key} 没有考核表。`,
        );
      ctx.reply(personFormText(report, row, await reports.trend(key, person.userid)));
    },
  });
}
