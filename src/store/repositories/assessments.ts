import type { FormRole } from '../../assessment/form';
import { onlyDuplicateKeys } from '../duplicate-keys';
import type { Models } from '../models';
import type { AssessmentDoc, StoredResult } from '../models/assessment';
import type { AuditLog } from './audit-log';
import { asAssessment, freshForm } from './fresh-form';

/** Who changes a form, when, and why (a reason is required after close). */
export interface Change {
  month: string;
  userid: string;
  role: FormRole;
  actor: string;
  now: Date;
  reason?: string;
}

/** The outcome of a write: the document after it, and whether anything changed. */
export interface WriteResult {
  doc: AssessmentDoc;
  changed: boolean;
}

/**
 * Assessments, one per person per month. Every write is a single-document
 * atomic update guarded by the form's status, so a retried request or a tap on
 * an old card can never corrupt a form; every real change is audited.
 */
export class AssessmentRepository {
  constructor(
    private readonly models: Pick<Models, 'assessments'>,
    private readonly audit: AuditLog,
  ) {}

  /** The assessment of a person for a month, creating it (idempotently) when missing. */
  async ensure(
    month: string,
    userid: string,
    supervisorUserid: string | null,
    now: Date,
  ): Promise<AssessmentDoc> {
    const doc = await this.models.assessments.findOneAndUpdate(
      { month, userid },
      { $setOnInsert: { month, userid, supervisorUserid, createdAt: now } },
      { upsert: true, returnDocument: 'after' },
    );
    return doc.toObject();
  }

  /**
   * Ensures an assessment for each person of a page of the roster (a month's
   * opening, 1,000 people at a time) and returns theirs: one read of what is
   * there, one insert of what is missing. Inserts are cheaper than upserts, and
   * another instance opening at the same time only makes some of them duplicates.
   */
  async ensureMany(
    month: string,
    people: { userid: string; supervisorUserid: string | null }[],
    now: Date,
  ): Promise<AssessmentDoc[]> {
    if (people.length === 0) return [];
    const found = await this.among(month, people);
    const have = new Set(found.map((d) => d.userid));
    const missing = people.filter((p) => !have.has(p.userid));
    if (missing.length === 0) return found;
    const docs = missing.map((p) => freshForm(month, p.userid, p.supervisorUserid, now));
    try {
      // Lean: a mongoose document for each of 1,000 forms (built with its two subdocuments,
      // validated, turned back into an object) was the open's largest share of garbage;
      // freshForm writes the very fields the schema's defaults would.
      const inserted = await this.models.assessments.insertMany(docs, {
        ordered: false,
        lean: true,
      });
      return [...found, ...inserted.map(asAssessment)];
    } catch (err) {
      if (!onlyDuplicateKeys(err)) throw err;
      // Someone else stored some of them first: theirs are as good as ours.
      return this.among(month, people);
    }
  }

  private async among(month: string, people: { userid: string }[]): Promise<AssessmentDoc[]> {
    const userids = people.map((p) => p.userid);
    const docs = await this.models.assessments.find({ month, userid: { $in: userids } });
    return docs.map((d) => d.toObject());
  }

  /** The assessment of a person for a month, or null. */
  async get(month: string, userid: string): Promise<AssessmentDoc | null> {
    const doc = await this.models.assessments.findOne({ month, userid });
    return doc?.toObject() ?? null;
  }

  /** Who was assessed in a month, by userid (their ids only: not 10,000 forms held to list them). */
  async userIdsOf(month: string): Promise<string[]> {
    const docs = await this.models.assessments
      .find({ month }, { userid: 1, _id: 0 })
      .sort({ userid: 1 })
      .lean<{ userid: string }[]>();
    return docs.map((d) => d.userid);
  }

  /** Every assessment of a month. */
  async forMonth(month: string): Promise<AssessmentDoc[]> {
    const docs = await this.models.assessments.find({ month }).sort({ userid: 1 });
    return docs.map((d) => d.toObject());
  }

  /** Stores one criterion's score in a draft; null when the form is not a draft (submitted). */
  async setScore(change: Change, criterionNo: number, score: number): Promise<WriteResult | null> {
    return this.updateDraft(
      change,
      'score',
      { [`${change.role}.scores.${criterionNo}`]: score },
      (doc) => doc[change.role].scores.get(String(criterionNo)) ?? null,
    );
  }

  /** Stores many scores of a draft at once (eleven typed in one message); null when not a draft. */
  async setScores(change: Change, scores: Record<number, number>): Promise<WriteResult | null> {
    const set = Object.fromEntries(
      Object.entries(scores).map(([no, score]) => [`${change.role}.scores.${no}`, score]),
    );
    return this.updateDraft(change, 'scores', set, (doc) =>
      JSON.stringify(Object.keys(scores).map((no) => doc[change.role].scores.get(no) ?? null)),
    );
  }

  /**
   * Changes one score whatever the form's status: the manager's correction
   * after close (`change.reason` is required and kept in the audit trail).
   * Returns the assessment after the change and the score before it.
   */
  async amendScore(
    change: Change & { reason: string },
    criterionNo: number,
    score: number,
  ): Promise<{ doc: AssessmentDoc; before: number | null } | null> {
    const path = `${change.role}.scores.${criterionNo}`;
    const before = await this.models.assessments.findOneAndUpdate(
      { month: change.month, userid: change.userid },
      { $set: { [path]: score, [`${change.role}.updatedAt`]: change.now } },
      { returnDocument: 'before' },
    );
    if (!before) return null;
    const old = before.toObject()[change.role].scores.get(String(criterionNo)) ?? null;
    await this.record(change, `${change.role}.amend`, { [path]: old }, { [path]: score });
    return { doc: (await this.get(change.month, change.userid))!, before: old };
  }

  /** Stores a remark for one criterion (criterionNo) or for the whole form (null); null when not a draft. */
  async setRemark(
    change: Change,
    criterionNo: number | null,
    remark: string,
  ): Promise<WriteResult | null> {
    const path =
      criterionNo === null ? `${change.role}.remark` : `${change.role}.remarks.${criterionNo}`;
    return this.updateDraft(change, 'remark', { [path]: remark }, (doc) =>
      criterionNo === null
        ? doc[change.role].remark
        : (doc[change.role].remarks.get(String(criterionNo)) ?? null),
    );
  }

  /** Marks a draft submitted. Submitting again changes nothing (changed: false). */
  async submit(change: Change): Promise<WriteResult | null> {
    return this.setStatus(change, 'draft', 'submitted');
  }

  /** Turns a submitted form back into a draft so its author can change it. */
  async reopen(change: Change): Promise<WriteResult | null> {
    return this.setStatus(change, 'submitted', 'draft');
  }

  /** Fixes the result computed at close. */
  async setResult(month: string, userid: string, result: StoredResult): Promise<void> {
    await this.models.assessments.updateOne({ month, userid }, { $set: { result } });
  }

  private async updateDraft(
    change: Change,
    what: string,
    set: Record<string, unknown>,
    read: (doc: AssessmentDoc) => unknown,
  ): Promise<WriteResult | null> {
    const before = await this.models.assessments.findOneAndUpdate(
      { month: change.month, userid: change.userid, [`${change.role}.status`]: 'draft' },
      {
        $set: {
          ...set,
          [`${change.role}.authorUserid`]: change.actor,
          [`${change.role}.updatedAt`]: change.now,
        },
      },
      { returnDocument: 'before' },
    );
    if (!before) return null;
    // The document after is the one before with what was just set: no second read.
    const doc = withSet(before.toObject(), {
      ...set,
      [`${change.role}.authorUserid`]: change.actor,
      [`${change.role}.updatedAt`]: change.now,
    });
    const [old, now] = [read(before.toObject()), read(doc)];
    const changed = old !== now;
    if (changed) {
      const before =
        Object.keys(set).length === 1 ? { [Object.keys(set)[0]!]: old } : { scores: old };
      await this.record(change, `${change.role}.${what}`, before, set);
    }
    return { doc, changed };
  }

  private async setStatus(
    change: Change,
    from: 'draft' | 'submitted',
    to: 'draft' | 'submitted',
  ): Promise<WriteResult | null> {
    const key = { month: change.month, userid: change.userid };
    const updated = await this.models.assessments.findOneAndUpdate(
      { ...key, [`${change.role}.status`]: from },
      {
        $set: {
          [`${change.role}.status`]: to,
          [`${change.role}.submittedAt`]: to === 'submitted' ? change.now : null,
          [`${change.role}.updatedAt`]: change.now,
        },
      },
      { returnDocument: 'after' },
    );
    if (updated) {
      await this.record(
        change,
        `${change.role}.${to === 'submitted' ? 'submit' : 'reopen'}`,
        { status: from },
        { status: to },
      );
      return { doc: updated.toObject(), changed: true };
    }
    const current = await this.get(change.month, change.userid);
    if (current && current[change.role].status === to) return { doc: current, changed: false };
    return null;
  }

  private async record(
    change: Change,
    action: string,
    before: unknown,
    after: unknown,
  ): Promise<void> {
    await this.audit.record({
      at: change.now,
      actor: change.actor,
      action,
      entity: 'assessment',
      entityId: `${change.month}:${change.userid}`,
      before,
      after,
      reason: change.reason ?? null,
    });
  }
}

/** `doc` with dotted `$set` paths applied, the way MongoDB applies them (Maps by key). */
function withSet(doc: AssessmentDoc, set: Record<string, unknown>): AssessmentDoc {
  for (const [path, value] of Object.entries(set)) {
    const parts = path.split('.');
    let node: unknown = doc;
    for (const part of parts.slice(0, -1)) {
      node = node instanceof Map ? node.get(part) : (node as Record<string, unknown>)[part];
    }
    const last = parts.at(-1)!;
    if (node instanceof Map) node.set(last, value);
    else (node as Record<string, unknown>)[last] = value;
  }
  return doc;
}
