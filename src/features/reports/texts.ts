import { shortName } from '../../assessment/form';
import { monthLabel, type MonthKey } from '../../assessment/month';
import { calibration } from '../../reports/calibration';
import { averageOfFinals, medianOfFinals } from '../../assessment/rounding';
import { exceedsGap } from '../../assessment/gap';
import { signed } from '../../lib/signed';
import { recordLines } from '../cycle/texts';
import {
  criterionShares,
  submittedScores,
  type MonthReport,
  type ReportRow,
} from './report-service';

const who = (row: ReportRow) => `${row.person.name}（${row.person.employeeNo}）`;
// Chat stays readable on a phone: past this many people the middle of the ranking is left out, and says so.
const RANKING_ENDS = 10;
const FLAG_NAMES = 20;

function rankingLine(row: ReportRow, place: string): string {
  const r = row.result;
  const self = r.missingSelf ? '-' : String(r.selfTotal);
  return `${place} ${row.person.name} ${row.person.employeeNo} 自评${self} 主管${r.supervisorTotal ?? '-'} 奖惩${signed(r.adjustmentTotal)} 最终${r.final ?? '-'}`;
}

/** The month at a glance: completion, average and median, ranking, flags, the weakest criteria. */
export function monthReportText(report: MonthReport): string {
  const { month, rows } = report;
  const key = month.key as MonthKey;
  const lines = [
    `${monthLabel(key)}考核报表（${month.status === 'closed' ? '已结束' : '进行中'}）`,
  ];
  if (rows.length === 0) return `${lines[0]}\n本月没有需要考核的人员。`;
  const selfDone = rows.filter((r) => !r.result.missingSelf).length;
  const supDone = rows.filter((r) => !r.result.missingSupervisor).length;
  lines.push(`完成：自评 ${selfDone}/${rows.length}，主管评分 ${supDone}/${rows.length}`);
  const ranked = rows
    .filter((r) => r.result.final !== null)
    .sort(
      (a, b) =>
        b.result.final! - a.result.final! || a.person.employeeNo.localeCompare(b.person.employeeNo),
    );
  if (ranked.length > 0) {
    const finals = ranked.map((r) => r.result.final!);
    const [average, median] = [averageOfFinals(finals), medianOfFinals(finals)];
    lines.push(`平均分 ${average}，中位数 ${median}（${ranked.length} 人有最终得分）`);
  }
  lines.push('排名：');
  const unranked = rows.filter((r) => r.result.final === null);
  const ordered = [
    ...ranked.map((r, i) => rankingLine(r, `${i + 1}.`)),
    ...unranked.map((r) => rankingLine(r, '—')),
  ];
  if (ordered.length > RANKING_ENDS * 2) {
    const left = ordered.length - RANKING_ENDS * 2;
    lines.push(
      ...ordered.slice(0, RANKING_ENDS),
      `……中间 ${left} 人略（/report ${key} 工号 查看个人）`,
      ...ordered.slice(-RANKING_ENDS),
    );
  } else lines.push(...ordered);

  const threshold = month.form.policies.gapThreshold;
  const gaps = rows.filter((r) => exceedsGap(r.result, threshold));
  // Past a screenful of names the list says how many more there are (the spreadsheet has them all).
  const list = (xs: ReportRow[]) =>
    xs.length === 0
      ? '无'
      : xs.length <= FLAG_NAMES
        ? xs.map(who).join('、')
        : `${xs.slice(0, FLAG_NAMES).map(who).join('、')} 等 ${xs.length} 人`;
  lines.push(`未自评：${list(rows.filter((r) => r.result.missingSelf))}`);
  lines.push(`未评分：${list(rows.filter((r) => r.result.missingSupervisor))}`);
  lines.push(`自评与主管评分相差超过 ${threshold} 分：${list(gaps)}`);
  const weakest = weakestCriteria(report);
  if (weakest.length > 0) lines.push(`最弱三项（主管评分得分率）：${weakest.join('；')}`);
  lines.push(...responseLines(report), ...calibrationLines(report));
  return lines.join('\n');
}

const RESPONSES = ['已确认', '申诉中', '已更正', '维持', '待确认'];

/** How people answered a closed month's results, and the appeals still open. */
function responseLines(report: MonthReport): string[] {
  const responses = report.responses;
  if (!responses) return [];
  const count = (name: string) => [...responses.status.values()].filter((s) => s === name).length;
  const lines = [`结果确认：${RESPONSES.map((n) => `${n} ${count(n)}`).join('，')}`];
  if (responses.open.length > 0) lines.push('未结申诉：', ...responses.open);
  return lines;
}

/** Calibration: each supervisor's count, average and spread beside the department's; outliers flagged. */
function calibrationLines(report: MonthReport): string[] {
  const groups = calibration(report);
  if (groups.length === 0) return [];
  const name = (id: string | null) =>
    id === null ? '全部门' : (report.people?.get(id)?.name ?? (id || '无主管'));
  return [
    '校准（主管评分合计）：',
    ...groups.map(
      (g) =>
        `${name(g.supervisorUserid)}：${g.count} 人，平均 ${g.average}，标准差 ${g.spread}` +
        (g.flagged
          ? `，⚠ 比部门平均${g.offset > 0 ? '高' : '低'} ${Math.abs(g.offset)} 分，需校准`
          : ''),
    ),
  ];
}

/** The three criteria with the lowest average supervisor score as a share of their max. */
function weakestCriteria(report: MonthReport): string[] {
  return criterionShares(report)
    .sort((a, b) => a.share - b.share || a.c.no - b.c.no)
    .slice(0, 3)
    .map(({ c, share }) => `第${c.no}项 ${shortName(c)} ${Math.round(share * 100)}%`);
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
  const remarkOf = (no: number) =>
    [row.doc.self.remarks.get(String(no)), row.doc.supervisor.remarks.get(String(no))]
      .map((text, i) => (text ? `${i === 0 ? '自评' : '主管'}：${text}` : ''))
      .filter(Boolean)
      .join('；');
  const lines = [
    month.form.formTitle,
    `被考核人：${row.person.name} 工号：${row.person.employeeNo} 考核日期：${monthLabel(key)}`,
    '序号|项目|标准分|自评分|主管评分|备注',
    ...month.form.criteria.map(
      (c) =>
        `${c.no}|${c.title}|${c.max}|${self?.[c.no] ?? '-'}|${sup?.[c.no] ?? '-'}|${remarkOf(c.no)}`,
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
