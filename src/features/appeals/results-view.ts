import { departmentOf, managesDepartmentOf } from '../../assessment/department';
import { monthLabel, type MonthKey } from '../../assessment/month';
import { userError } from '../../lib/errors';
import { resultNotice } from '../cycle/texts';
import type { ResultCard } from '../cycle/cycle-service';
import { resultOf, type PersonResult } from '../../assessment/results';
import type { MonthDoc } from '../../store/models/month';
import type { Person } from '../../store/models/person';
import { undecided } from './appeal-service';
import { closedResult, type AppealDeps } from './deps';
import * as text from './texts';
import {
  appealPolicy,
  localMoment,
  resultStatus,
  STATUS_NAMES,
  windowEnd,
  type ResultStatus,
} from './window';
import type { AppealDoc } from '../../store/models/appeal';
import type { ResponseCounts } from '../reports/responses';

/** The flow that takes taps on the 确认 / 申诉 card. */
export const RESULT_FLOW = 'result-answer';

/** The 确认 / 申诉 card sent after a result notice; none while the final is pending. */
export function resultCard(
  timeZone: string,
): (month: MonthDoc, person: Person, result: PersonResult) => ResultCard | null {
  return (month, _person, result) => {
    const end = windowEnd(month);
    if (result.final === null || !end) return null;
    const { silentConfirm } = appealPolicy(month);
    return {
      card: {
        title: `${monthLabel(month.key as MonthKey)}考核结果：${result.final} 分`,
        description: `请在 ${localMoment(end, timeZone)} 前确认或申诉${silentConfirm ? '，逾期视为确认' : ''}。`,
        buttons: [
          { key: 'confirm', label: '确认', typed: '确认' },
          { key: 'appeal', label: '申诉', typed: '申诉 项号 理由', secondary: true },
        ],
      },
      flow: RESULT_FLOW,
      data: { month: month.key },
    };
  };
}

/** /result: a person's result for a month as the notice reads, with where it stands. */
export class ResultsView {
  constructor(private readonly deps: AppealDeps) {}

  /**
   * The result `viewer` asked for: their own; a supervisor also their team's;
   * the manager their department's; HR anyone's. With the card to answer it when it is still theirs to answer.
   */
  async show(
    viewer: Person,
    key: MonthKey | undefined,
    employeeNo: string | undefined,
  ): Promise<{ text: string; card: ResultCard | null }> {
    const target = employeeNo ? await this.deps.people.byEmployeeNo(employeeNo) : viewer;
    if (!target) throw userError('not_found', `没有找到工号为 ${employeeNo} 的人员。`);
    const own = target.userid === viewer.userid;
    // HR reads everyone's results; a manager their department's.
    const mayRead =
      own ||
      viewer.roles.includes('hr') ||
      managesDepartmentOf(viewer, target) ||
      (viewer.roles.includes('supervisor') && target.supervisorUserid === viewer.userid);
    if (!mayRead) throw userError('forbidden', '你只能查看自己的考核结果。');
    const whose = own ? '你' : text.named(target);
    const { month, doc } = await closedResult(this.deps, target, key, whose);
    const records = await this.deps.records.counting(month.key, target.userid);
    const live = resultOf(month, doc, records);
    const result: PersonResult = doc.result ? { ...live, ...doc.result } : live;
    const appeals = await this.deps.appeals.ofPerson(month.key, target.userid);
    const confirmation = await this.deps.confirmations.get(month.key, target.userid);
    const now = this.deps.clock.now();
    const status = resultStatus(month, appeals, confirmation, now);
    const end = windowEnd(month);
    const open = appeals.filter(undecided).map((a) => a.code);
    const line =
      status === 'pending' && end
        ? `状态：待确认（${localMoment(end, this.deps.timeZone)} 前可确认或申诉）`
        : `状态：${STATUS_NAMES[status]}${open.length ? `（申诉编号 ${open.join('、')}）` : ''}`;
    const body = resultNotice(month, doc, result, records);
    const card =
      own && status === 'pending' ? resultCard(this.deps.timeZone)(month, target, result) : null;
    return { text: `${body}\n${line}`, card };
  }

  /**
   * The same answers counted, for /report's text, without reading the month's
   * forms: only the appellants' statuses need their appeals; everyone else
   * (`people` assessed in all) is confirmed or, by the window, pending or confirmed by silence.
   */
  async responseCounts(month: MonthDoc, people: number): Promise<ResponseCounts | undefined> {
    if (month.status !== 'closed') return undefined;
    const appeals = await this.appealsOf(month);
    const now = this.deps.clock.now();
    const counts = new Map<string, number>();
    const add = (status: ResultStatus, n = 1) =>
      counts.set(STATUS_NAMES[status], (counts.get(STATUS_NAMES[status]) ?? 0) + n);
    const appellants = [...new Set(appeals.map((a) => a.userid))];
    let appellantsConfirmed = 0;
    for (const userid of appellants) {
      const confirmation = await this.deps.confirmations.get(month.key, userid);
      if (confirmation) appellantsConfirmed += 1;
      const mine = appeals.filter((a) => a.userid === userid);
      add(resultStatus(month, mine, confirmation, now));
    }
    const others = Math.max(0, people - appellants.length);
    const confirmed = Math.min(others, (await this.confirmedIn(month)) - appellantsConfirmed);
    add('confirmed', confirmed);
    // Whoever did not answer is pending, or confirmed by silence once the window ended: the same rule as one by one.
    add(resultStatus(month, [], null, now), others - confirmed);
    // When that rule turns the pending into confirmed with nobody answering: counts kept last until then.
    const end = windowEnd(month);
    const changes = end && now < end && appealPolicy(month).silentConfirm && others > confirmed;
    return {
      counts,
      open: await this.openLines(month, appeals),
      ...(changes ? { changesAt: end } : {}),
    };
  }

  /** How everyone of a month answered their result, and the appeals still open, for /report. */
  async responses(
    month: MonthDoc,
  ): Promise<{ status: Map<string, string>; open: string[] } | undefined> {
    if (month.status !== 'closed') return undefined;
    const ours = await this.deps.people.userIdsIn(departmentOf(month));
    const appeals = await this.appealsOf(month, ours);
    const confirmations = await this.deps.confirmations.forMonth(month.key);
    const assessed = await this.deps.assessments.userIdsOf(month.key);
    const now = this.deps.clock.now();
    const status = new Map<string, string>();
    for (const userid of assessed) {
      if (!ours.has(userid)) continue;
      const mine = appeals.filter((a) => a.userid === userid);
      const answer = resultStatus(month, mine, confirmations.get(userid), now);
      status.set(userid, STATUS_NAMES[answer]);
    }
    return { status, open: await this.openLines(month, appeals) };
  }

  /** The month's confirmations, of its own department's people when another department opened the same month too. */
  private async confirmedIn(month: MonthDoc): Promise<number> {
    const shared = (await this.deps.months.allOf(month.key)).length > 1;
    return this.deps.confirmations.count(month.key, shared ? departmentOf(month) : undefined);
  }

  /**
   * The appeals of the month's own department: a month key is shared by every
   * department that opened it, and an appellant's department is on the roster.
   */
  private async appealsOf(month: MonthDoc, ours?: Set<string>): Promise<AppealDoc[]> {
    const department = departmentOf(month);
    const all = await this.deps.appeals.forMonth(month.key);
    if (ours) return all.filter((a) => ours.has(a.userid));
    const mine = new Set<string>();
    // Appeals are few: their people are read one by one, not the department's roster.
    for (const userid of new Set(all.map((a) => a.userid))) {
      const person = await this.deps.people.byUserid(userid);
      if (person && departmentOf(person) === department) mine.add(userid);
    }
    return all.filter((a) => mine.has(a.userid));
  }

  /** The month's undecided appeals, one line each. */
  private async openLines(month: MonthDoc, appeals: AppealDoc[]): Promise<string[]> {
    const open: string[] = [];
    for (const appeal of appeals.filter(undecided)) {
      const person = await this.deps.people.byUserid(appeal.userid);
      open.push(text.appealLine(month, appeal, person ?? undefined));
    }
    return open;
  }
}
