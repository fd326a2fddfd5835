import { DEFAULT_DEPARTMENT, departmentOf } from '../../assessment/department';
import { monthLabel, type MonthKey } from '../../assessment/month';
import { remarkOf } from '../../assessment/scores';
import { signed } from '../../lib/signed';
import {
  summarize,
  type FlagList,
  type MonthSummary,
  type Named,
  type RankingEntry,
} from '../../reports/month-summary';
import { recordLines } from '../cycle/texts';
import {
  submittedScores,
  type MonthReport,
  type ReportRow,
  type SummaryView,
} from './report-service';
import { countResponses, type ResponseCounts } from './responses';

const who = (row: Named) => `${row.person.name}（${row.person.employeeNo}）`;

function rankingLine(row: RankingEntry, place: string): string {
  const r = row.result;
  const self = r.missingSelf ? '-' : String(r.selfTotal);
  return `${place} ${row.person.name} ${row.person.employeeNo} 自评${self} 主管${r.supervisorTotal ?? '-'} 奖惩${signed(r.adjustmentTotal)} 最终${r.final ?? '-'}`;
}

/** The month at a glance from every row of its report (computed now). */
export function monthReportText(report: MonthReport): string {
  return monthSummaryText({
    status: report.month.status,
    summary: summarize(report, new Date()),
    responses: report.responses && countResponses(report.responses),
  });
}

/** The month at a glance: completion, average and median, ranking, flags, the weakest criteria. */
export function monthSummaryText(view: SummaryView): string {
  const { summary } = view;
  const key = summary.month as MonthKey;
  // A department other than the default is named, so its report is never taken for 客服部's.
  const whose = departmentOf(summary) === DEFAULT_DEPARTMENT ? '' : departmentOf(summary);
  const status = view.status === 'closed' ? '已结束' : '进行中';
  const lines = [`${whose}${monthLabel(key)}考核报表（${status}）`];
  if (summary.people === 0) return `${lines[0]}\n本月没有需要考核的人员。`;
  const [selfDone, supDone, people] = [summary.selfDone, summary.supervisorDone, summary.people];
  lines.push(`完成：自评 ${selfDone}/${people}，主管评分 ${supDone}/${people}`);
  if (summary.finals) {
    const { average, median, count } = summary.finals;
    lines.push(`平均分 ${average}，中位数 ${median}（${count} 人有最终得分）`);
  }
  lines.push('排名：');
  const line = (r: RankingEntry) => rankingLine(r, r.place === null ? '—' : `${r.place}.`);
  const { head, tail, left } = summary.ranking;
  if (left > 0) {
    lines.push(
      ...head.map(line),
      `……中间 ${left} 人略（/report ${key} 工号 查看个人）`,
      ...tail.map(line),
    );
  } else lines.push(...head.map(line));

  const threshold = summary.gapThreshold;
  // Past a screenful of names the list says how many more there are (the spreadsheet has them all).
  const list = (xs: FlagList) =>
    xs.count === 0
      ? '无'
      : xs.count <= xs.shown.length
        ? xs.shown.map(who).join('、')
        : `${xs.shown.map(who).join('、')} 等 ${xs.count} 人`;
  lines.push(`未自评：${list(summary.missingSelf)}`);
  lines.push(`未评分：${list(summary.missingSupervisor)}`);
  lines.push(`自评与主管评分相差超过 ${threshold} 分：${list(summary.gaps)}`);
  const weakest = weakestCriteria(summary);
  if (weakest.length > 0) lines.push(`最弱三项（主管评分得分率）：${weakest.join('；')}`);
  lines.push(...responseLines(view.responses), ...calibrationLines(summary));
  return lines.join('\n');
}

const RESPONSES = ['已确认', '申诉中', '已更正', '维持', '待确认'];

/** How people answered a closed month's results, and the appeals still open. */
function responseLines(responses: ResponseCounts | undefined): string[] {
  if (!responses) return [];
  const count = (name: string) => responses.counts.get(name) ?? 0;
  const lines = [`结果确认：${RESPONSES.map((n) => `${n} ${count(n)}`).join('，')}`];
  if (responses.open.length > 0) lines.push('未结申诉：', ...responses.open);
  return lines;
}

/** Calibration: each supervisor's count, average and spread beside the department's; outliers flagged. */
function calibrationLines(summary: MonthSummary): string[] {
  const groups = summary.calibration;
  if (groups.length === 0) return [];
  const name = (g: MonthSummary['calibration'][number]) =>
    g.supervisorUserid === null ? '全部门' : (g.name ?? (g.supervisorUserid || '无主管'));
  return [
    '校准（主管评分合计）：',
    ...groups.map(
      (g) =>
        `${name(g)}：${g.count} 人，平均 ${g.average}，标准差 ${g.spread}` +
        (g.flagged
          ? `，⚠ 比部门平均${g.offset > 0 ? '高' : '低'} ${Math.abs(g.offset)} 分，需校准`
          : ''),
    ),
  ];
}

/** The three criteria with the lowest average supervisor score as a share of their max. */
function weakestCriteria(summary: MonthSummary): string[] {
  return [...summary.criteria]
    .sort((a, b) => a.share - b.share || a.no - b.no)
    .slice(0, 3)
    .map(({ no, label, share }) => `第${no}项 ${label} ${Math.round(share * 100)}%`);
}

/** One person's filled 考核表, as the paper form reads, with their last six months. */
export function personFormText(
  report: MonthReport,
  row: ReportRow,
  trend: { month: MonthKey; final: number | null }[],
): string {
  const { month } = report;
  const key = month.key as MonthKey;
  const self = submittedScores(row.doc, 'self');
  const sup = submittedScores(row.doc, 'supervisor');
  const r = row.result;
  const remarksOn = (no: number) =>
    [remarkOf(row.doc.self, no), remarkOf(row.doc.supervisor, no)]
      .map((text, i) => (text ? `${i === 0 ? '自评' : '主管'}：${text}` : ''))
      .filter(Boolean)
      .join('；');
  const lines = [
    month.form.formTitle,
    `被考核人：${row.person.name} 工号：${row.person.employeeNo} 考核日期：${monthLabel(key)}`,
    '序号|项目|标准分|自评分|主管评分|备注',
    ...month.form.criteria.map(
      (c) =>
        `${c.no}|${c.title}|${c.max}|${self?.[c.no] ?? '-'}|${sup?.[c.no] ?? '-'}|${remarksOn(c.no)}`,
    ),
    `${month.form.criteria.length + 1}|${month.form.adjustmentsTitle}|±|${signed(r.adjustmentTotal)}`,
    ...recordLines(report.records.filter((x) => x.userid === row.person.userid)),
    `总分|${month.form.criteria.reduce((s, c) => s + c.max, 0)}|${r.selfTotal ?? '-'}|${r.supervisorTotal ?? '-'}`,
    r.final === null
      ? '最终得分：主管未评分，待定'
      : `最终得分：${month.form.weights.self}×${r.selfCounted} + ${month.form.weights.supervisor}×${r.supervisorTotal} ${r.adjustmentTotal < 0 ? '−' : '+'} ${Math.abs(r.adjustmentTotal)} = ${r.final}${r.missingSelf ? '（未自评）' : ''}`,
    `近六个月：${trend.map((t) => `${t.month} ${t.final ?? '-'}`).join(' | ')}`,
  ];
  return lines.join('\n');
}
