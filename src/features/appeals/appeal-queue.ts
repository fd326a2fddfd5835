import type { AppealDoc } from '../../store/models/appeal';
import type { Person } from '../../store/models/person';
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

  /** The appeals waiting for `person`: the manager sees all, a supervisor their team's. */
  async waitingFor(person: Person): Promise<string> {
    const { deps } = this;
    const isManager = person.roles.includes('manager');
    const mine = (await deps.appeals.undecided())
      .filter(undecided)
      .filter((a) => isManager || a.supervisorUserid === person.userid);
    if (mine.length === 0) return '没有待处理的申诉。';
    const lines: string[] = [];
    for (const appeal of mine) {
      const month = (await deps.months.get(appeal.month))!;
      lines.push(
        text.appealLine(month, appeal, (await deps.people.byUserid(appeal.userid)) ?? undefined),
      );
    }
    return [`待处理的申诉 ${mine.length} 条：`, ...lines].join('\n');
  }
}
