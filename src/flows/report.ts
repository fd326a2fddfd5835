import type { Bot } from '../bot/bot';
import { parseMonth } from '../assessment/month';
import { userError } from '../lib/errors';
import type { ReportService } from '../services/report-service';
import { monthReportText, personFormText } from './report-messages';

/** /report YYYY-MM (报表): the month at a glance; /report YYYY-MM 工号: that person's filled form. */
export function registerReport(bot: Bot, reports: ReportService): void {
  bot.command({
    names: ['/report', '报表'],
    roles: ['manager'],
    help: '/report 2024-05(报表)查看该月报表;加工号查看个人考核表',
    run: async (ctx, args) => {
      const [monthText, employeeNo] = args.split(/\s+/).filter(Boolean);
      if (!monthText) throw userError('invalid_input', '请写明月份,例如:/report 2024-05');
      const key = parseMonth(monthText);
      const report = await reports.month(key);
      if (!employeeNo) return ctx.reply(monthReportText(report));
      const person = await reports.person(employeeNo);
      const row = report.rows.find((r) => r.person.userid === person.userid);
      if (!row)
        throw userError('not_found', `${person.name}(${person.employeeNo})在 ${key} 没有考核表。`);
      ctx.reply(personFormText(report, row, await reports.trend(key, person.userid)));
    },
  });
}
