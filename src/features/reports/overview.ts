import { monthLabel, type MonthKey } from '../../assessment/month';
import type { ReportService, SummaryView } from './report-service';

/** One department's line of HR's overview: its summary, or null when its month was never opened. */
export interface DepartmentPart {
  department: string;
  view: SummaryView | null;
}

/** HR's look at a month across departments: each department's part, in the configured order. */
export interface Overview {
  key: MonthKey;
  parts: DepartmentPart[];
}

/**
 * Reads every department's summary of month `key` for HR's /report: one
 * read each for a closed month. A summary stored before departments lacks
 * the finals' sum, so it is stored again (a closed month's figures are fixed).
 */
export async function readOverview(
  reports: ReportService,
  key: MonthKey,
  departments: string[],
): Promise<Overview> {
  const opened = new Set(await reports.departmentsOpened(key));
  const parts: DepartmentPart[] = [];
  for (const department of departments) {
    if (!opened.has(department)) {
      parts.push({ department, view: null });
      continue;
    }
    const view = await reports.summary(key, department);
    if (view.status === 'closed' && view.summary.finals && view.summary.finals.tenths === undefined)
      view.summary = await reports.storeSummary(key, department);
    parts.push({ department, view });
  }
  return { key, parts };
}

/**
 * HR's overview as text: a total line summing every department (the average
 * over everyone's finals, not an average of averages), then one line each.
 */
export function overviewText({ key, parts }: Overview): string {
  const opened = parts.filter((p) => p.view !== null).map((p) => p.view!.summary);
  const sum = (f: (s: (typeof opened)[number]) => number) => opened.reduce((n, s) => n + f(s), 0);
  const people = sum((s) => s.people);
  const count = sum((s) => s.finals?.count ?? 0);
  // The same rounding as one department's average (averageOfFinals), over every final at once.
  const average =
    count > 0 ? String(Math.round(sum((s) => s.finals?.tenths ?? 0) / count) / 10) : '—';
  const lines = [
    `${monthLabel(key)}考核总览（${parts.length} 个部门）`,
    `合计：${people} 人，自评 ${sum((s) => s.selfDone)}/${people}，` +
      `主管评分 ${sum((s) => s.supervisorDone)}/${people}，平均分 ${average}`,
  ];
  for (const { department, view } of parts) {
    if (!view) {
      lines.push(`${department}：未开始`);
      continue;
    }
    const s = view.summary;
    const status = view.status === 'closed' ? '已结束' : '进行中';
    const mean = s.finals ? String(s.finals.average) : '—';
    lines.push(
      `${department}（${status}）：${s.people} 人，自评 ${s.selfDone}/${s.people}，` +
        `主管评分 ${s.supervisorDone}/${s.people}，平均分 ${mean}`,
    );
  }
  lines.push(`发送 /report ${key} 部门 查看一个部门，例如 /report ${key} ${parts[0]!.department}`);
  return lines.join('\n');
}
