import { departmentFilter } from '../../assessment/department';
import type { Platform } from '../../channels/types';
import type { Models } from '../models';
import type { Person, Role } from '../models/person';
import { changedFields } from '../../roster/roster-diff';
import { ROSTER_FIELDS, type RosterEntry } from '../../roster/roster-row';
import type { AuditLog } from './audit-log';

/** What a roster sync changed, by userid. */
export interface RosterSyncReport {
  added: string[];
  updated: string[];
  unchanged: string[];
  deactivated: string[];
}

const FIELDS = ROSTER_FIELDS;

/** Limits a sync to one platform's people: a directory speaks for its own platform only. */
export interface RosterSyncScope {
  platform?: Platform;
}

/** The roster: who is who, who supervises whom. */
export class PeopleRepository {
  constructor(
    private readonly models: Pick<Models, 'people'>,
    private readonly audit: AuditLog,
  ) {}

  /** An active or inactive person by messenger id. */
  async byUserid(userid: string): Promise<Person | null> {
    return this.models.people.findOne({ userid }).lean<Person>();
  }

  /**
   * The person an event speaks for: the same userid on the same platform. A
   * DingTalk staff id that happens to equal a WeCom userid is someone else.
   */
  async byIdentity(platform: Platform, userid: string): Promise<Person | null> {
    return this.models.people.findOne({ userid, platform }).lean<Person>();
  }

  /** A person by 工号. */
  async byEmployeeNo(employeeNo: string): Promise<Person | null> {
    return this.models.people.findOne({ employeeNo }).lean<Person>();
  }

  /** Active people holding a role, by 工号. */
  async activeWithRole(role: Role, department?: string): Promise<Person[]> {
    const filter = department === undefined ? {} : { department: departmentFilter(department) };
    return this.models.people
      .find({ active: true, roles: role, ...filter })
      .sort({ employeeNo: 1 })
      .lean<Person[]>();
  }

  /**
   * A page of the active people holding a role, by 工号, after `afterEmployeeNo`
   * (null: from the start); a month's opening walks the roster this way, so
   * it never holds the whole of it. `joinedBy`: only people who had joined by
   * then; `department`: only that department's people.
   */
  async activeWithRolePage(
    role: Role,
    afterEmployeeNo: string | null,
    limit: number,
    only: { joinedBy?: Date; department?: string } = {},
  ): Promise<Person[]> {
    const { joinedBy, department } = only;
    return this.models.people
      .find({
        active: true,
        roles: role,
        ...(afterEmployeeNo === null ? {} : { employeeNo: { $gt: afterEmployeeNo } }),
        ...(joinedBy ? { joinedAt: { $lte: joinedBy } } : {}),
        ...(department === undefined ? {} : { department: departmentFilter(department) }),
      })
      .sort({ employeeNo: 1 })
      .limit(limit)
      .lean<Person[]>();
  }

  /** Which of `userids` are of active people. */
  async activeAmong(userids: string[]): Promise<Set<string>> {
    if (userids.length === 0) return new Set();
    const found = await this.models.people
      .find({ userid: { $in: userids }, active: true }, { userid: 1 })
      .lean<Pick<Person, 'userid'>[]>();
    return new Set(found.map((p) => p.userid));
  }

  /** The active staff a supervisor scores, by 工号. */
  async teamOf(supervisorUserid: string): Promise<Person[]> {
    return this.models.people
      .find({ active: true, supervisorUserid, roles: 'staff' })
      .sort({ employeeNo: 1 })
      .lean<Person[]>();
  }

  /** The userids of a department's people, active or not (their ids only). */
  async userIdsIn(department: string): Promise<Set<string>> {
    const docs = await this.models.people
      .find({ department: departmentFilter(department) }, { userid: 1, _id: 0 })
      .lean<{ userid: string }[]>();
    return new Set(docs.map((d) => d.userid));
  }

  /** Everyone, active or not, by 工号. */
  async all(): Promise<Person[]> {
    return this.models.people.find({}).sort({ employeeNo: 1 }).lean<Person[]>();
  }

  /**
   * Makes the roster match a checked file: adds and updates by userid and
   * deactivates people missing from it. Each step is an idempotent single-document
   * write, so running it again after an interruption finishes the job. With a
   * `platform` scope, only that platform's people can be deactivated.
   */
  async sync(
    entries: RosterEntry[],
    actor: string,
    now: Date,
    scope: RosterSyncScope = {},
  ): Promise<RosterSyncReport> {
    const report: RosterSyncReport = { added: [], updated: [], unchanged: [], deactivated: [] };
    const existing = new Map((await this.all()).map((p) => [p.userid, p]));
    // Free 工号 held by people who leave or change number first, so a swap never trips the unique index.
    await this.releaseEmployeeNos(entries, existing);
    for (const entry of entries) {
      const before = existing.get(entry.userid);
      const changed = !before || changedFields(before, entry).length > 0;
      if (!changed) {
        report.unchanged.push(entry.userid);
        continue;
      }
      await this.models.people.updateOne(
        { userid: entry.userid },
        { $set: { ...entry, active: true, updatedAt: now }, $setOnInsert: { joinedAt: now } },
        { upsert: true },
      );
      (before ? report.updated : report.added).push(entry.userid);
      await this.audit.record({
        at: now,
        actor,
        action: before ? 'roster.update' : 'roster.add',
        entity: 'person',
        entityId: entry.userid,
        before: before ? pick(before) : null,
        after: { ...entry, active: true },
      });
    }
    const listed = new Set(entries.map((e) => e.userid));
    for (const person of existing.values()) {
      if (listed.has(person.userid) || !person.active) continue;
      if (scope.platform && person.platform !== scope.platform) continue;
      await this.models.people.updateOne(
        { userid: person.userid },
        { $set: { active: false, updatedAt: now } },
      );
      report.deactivated.push(person.userid);
      await this.audit.record({
        at: now,
        actor,
        action: 'roster.deactivate',
        entity: 'person',
        entityId: person.userid,
        before: { active: true },
        after: { active: false },
      });
    }
    return report;
  }

  /** Gives people whose 工号 moves to someone else a temporary one until their own row is written. */
  private async releaseEmployeeNos(
    entries: RosterEntry[],
    existing: Map<string, Person>,
  ): Promise<void> {
    const wanted = new Map(entries.map((e) => [e.employeeNo, e.userid]));
    for (const person of existing.values()) {
      const taker = wanted.get(person.employeeNo);
      if (taker !== undefined && taker !== person.userid) {
        await this.models.people.updateOne(
          { userid: person.userid },
          { $set: { employeeNo: `${person.employeeNo}#released:${person.userid}` } },
        );
      }
    }
  }
}

function pick(person: Person): Partial<Person> {
  return Object.fromEntries([...FIELDS, 'active'].map((f) => [f, person[f as keyof Person]]));
}
