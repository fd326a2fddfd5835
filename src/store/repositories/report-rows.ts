import { ofDepartment } from './department-join';
import type { Models } from '../models';
import type { AssessmentDoc, FormPart } from '../models/assessment';
import type { Person } from '../models/person';
import type { ByCriterion } from '../../assessment/scores';

/** What a report reads of a form: its status, scores and remarks (Maps, or records as stored). */
export type ReportPart = Pick<FormPart, 'status'> & {
  scores: ByCriterion<number>;
  remarks: ByCriterion<string>;
};

/** What a report reads of an assessment: whose, their supervisor's, both forms, the fixed result. */
export type ReportDoc = Pick<AssessmentDoc, 'userid' | 'supervisorUserid' | 'result'> & {
  self: ReportPart;
  supervisor: ReportPart;
};

/** What a report reads of a person. */
export type ReportPerson = Pick<Person, 'userid' | 'name' | 'employeeNo'>;

/** One assessment of a month with the person it belongs to. */
export interface AssessedPerson {
  doc: ReportDoc;
  person: ReportPerson;
}

type Stored = Pick<FormPart, 'status'> & {
  scores?: Record<string, number>;
  remarks?: Record<string, string>;
};
type Joined = Omit<ReportDoc, 'self' | 'supervisor'> & {
  self: Stored;
  supervisor: Stored;
  person: ReportPerson;
};

// An aggregation answers plain records, kept as they are; a form stored without one reads as empty.
function part(stored: Stored): ReportPart {
  stored.scores ??= {};
  stored.remarks ??= {};
  return stored as ReportPart;
}

/**
 * Which of the optional fields a read of the rows brings: the workbook's
 * person sheets read them all; a summary reads no remarks, and the fixed
 * result only for a closed month, whose figures it is.
 */
export interface RowFields {
  remarks: boolean;
  result: boolean;
}

const ALL_FIELDS: RowFields = { remarks: true, result: true };

// Plain inclusions, in MongoDB since 3.4 (the embedded server runs them natively).
function projectionOf(fields: RowFields): Record<string, 0 | 1> {
  const parts = fields.remarks ? ['status', 'scores', 'remarks'] : ['status', 'scores'];
  return {
    _id: 0,
    userid: 1,
    supervisorUserid: 1,
    ...(fields.result ? { result: 1 } : {}),
    ...Object.fromEntries(
      ['self', 'supervisor'].flatMap((role) => parts.map((field) => [`${role}.${field}`, 1])),
    ),
    'person.userid': 1,
    'person.name': 1,
    'person.employeeNo': 1,
  };
}

// A batch of this many rows is about 140 kB on the wire: the summary folds one while the next is
// read. Larger batches kept more decoded rows alive across young-generation GCs: 1,000 rows a
// batch peaked at 250 MB of RSS over four open-month summaries, 250 at 195 MB, in the same time.
const BATCH = 250;

/**
 * What a month's report is made of, read in one aggregation: its assessments
 * by userid, each joined with its person on the roster. It replaces reading
 * the whole roster and every assessment separately and joining in memory.
 */
export class ReportRowRepository {
  constructor(private readonly models: Pick<Models, 'assessments' | 'people'>) {}

  /** The department's assessments of the month with their people, by userid; an assessment whose person left the roster is left out. */
  async forMonth(month: string, department: string): Promise<AssessedPerson[]> {
    const rows: AssessedPerson[] = [];
    for await (const batch of this.batches(month, department)) rows.push(...batch);
    return rows;
  }

  /**
   * The same rows a batch at a time, for a reader that folds them and lets
   * them go. The next batch is asked for before this one is handed over, so
   * the database reads and sends it while the reader works.
   */
  async *batches(
    month: string,
    department: string,
    fields: RowFields = ALL_FIELDS,
  ): AsyncGenerator<AssessedPerson[]> {
    const cursor = this.models.assessments.collection.aggregate<Joined>(
      [
        { $match: { month } },
        { $sort: { userid: 1 } },
        // A person's month is their department's: another department's forms are its own report.
        ...ofDepartment(this.models, department),
        // Only what a report reads: about 0.6 of the joined document's bytes to send and decode
        // (0.4 for an open month's summary).
        { $project: projectionOf(fields) },
      ],
      { batchSize: BATCH },
    );
    let next: Promise<boolean> = cursor.hasNext();
    try {
      for (let more = await next; more; more = await next) {
        const joined = cursor.readBufferedDocuments();
        // Not awaited yet: with the buffer empty, this sends the getMore for the next batch now.
        next = cursor.hasNext();
        // Settled below; a failure meanwhile must not go unhandled while the batch is read.
        next.catch(() => undefined);
        // Each row is its doc as decoded, its forms completed in place (no copy of every row).
        yield joined.map((row) => {
          part(row.self);
          part(row.supervisor);
          return { person: row.person, doc: row as unknown as ReportDoc };
        });
      }
    } finally {
      // A reader that stops early (an error while writing a sheet) leaves a getMore in flight.
      await next.catch(() => false);
      await cursor.close();
    }
  }

  /** The people named by `userids` (a month's supervisors, for calibration), by userid. */
  async people(userids: string[]): Promise<Map<string, Person>> {
    const found = await this.models.people.find({ userid: { $in: userids } }).lean<Person[]>();
    return new Map(found.map((p) => [p.userid, p]));
  }
}
