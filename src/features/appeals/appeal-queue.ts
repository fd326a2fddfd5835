import type { AppealDoc } from '../../store/models/appeal';
import type { Person } from '../../store/models/person';
import { departmentOf, managesDepartmentOf } from '../../assessment/department';
import { undecided } from './appeal-service';
import type { AppealDeps } from './deps';
import * as text from './texts';

/** Reading the appeals for the chat commands: one by its code, and the list waiting for a person. */
export class AppealQueue {
  constructor(private readonly deps: Pick<AppealDeps, 'appeals' | 'months' | 'people'>) {}

  /** The appeal of a code, or null. */
  byCode(code: string): Promise<AppealDoc | null> {
    return this.deps.appeals.byCode(code);
  }

  /** The appeals waiting for `person`: the manager sees their department's, a supervisor their team's. */
  async waitingFor(person: Person): Promise<string> {
    const { deps } = this;
    const lines: string[] = [];
    for (const appeal of (await deps.appeals.undecided()).filter(undecided)) {
      const appellant = await deps.people.byUserid(appeal.userid);
      const theirs = appellant !== null && managesDepartmentOf(person, appellant);
      if (!theirs && appeal.supervisorUserid !== person.userid) continue;
      const department = appellant ? departmentOf(appellant) : undefined;
      const month = (await deps.months.get(appeal.month, department))!;
      lines.push(text.appealLine(month, appeal, appellant ?? undefined));
    }
    if (lines.length === 0) return '没有待处理的申诉。';
    return [`待处理的申诉 ${lines.length} 条：`, ...lines].join('\n');
  }
}
