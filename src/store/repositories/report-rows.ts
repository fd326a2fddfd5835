import { departmentFilter } from '../../assessment/department';
import type { Models } from '../models';
import type { AssessmentDoc, FormPart } from '../models/assessment';
import type { Person } from '../models/person';

/** One assessment of a month with the person it belongs to. */
export interface AssessedPerson {
  doc: AssessmentDoc;
  person: Person;
}

type Stored<T> = Omit<T, 'scores' | 'remarks'> & {
  scores?: Record<string, number>;
  remarks?: Record<string, string>;
};
type Joined = Omit<AssessmentDoc, 'self' | 'supervisor'> & {
  self: Stored<FormPart>;
  supervisor: Stored<FormPart>;
  person: Person;
};

// An aggregation answers plain documents; the report reads form parts the way mongoose gives them (Maps).
function part(stored: Stored<FormPart>): FormPart {
  return {
    ...stored,
    scores: new Map(Object.entries(stored.scores ?? {})),
    remarks: new Map(Object.entries(stored.remarks ?? {})),
  };
}

/**
 * What a month's report is made of, read in one aggregation: its assessments
 * by userid, each joined with its person on the roster. It replaces reading
 * the whole roster and every assessment separately and joining in memory.
 */
export class ReportRowRepository {
  constructor(private readonly models: Pick<Models, 'assessments' | 'people'>) {}

  /** The department's assessments of the month with their people, by userid; an assessment whose person left the roster is left out. */
  async forMonth(month: string, department: string): Promise<AssessedPerson[]> {
    const joined = await this.models.assessments.aggregate<Joined>([
      { $match: { month } },
      { $sort: { userid: 1 } },
      // localField/foreignField only: the embedded server refuses `let`, and it joins by hash this way.
      {
        $lookup: {
          from: this.models.people.collection.collectionName,
          localField: 'userid',
          foreignField: 'userid',
          as: 'person',
        },
      },
      { $unwind: '$person' },
      // A person's month is their department's: another department's forms are its own report.
      { $match: { 'person.department': departmentFilter(department) } },
    ]);
    return joined.map(({ person, self, supervisor, ...doc }) => ({
      person,
      doc: { ...doc, self: part(self), supervisor: part(supervisor) },
    }));
  }

  /** The people named by `userids` (a month's supervisors, for calibration), by userid. */
  async people(userids: string[]): Promise<Map<string, Person>> {
    const found = await this.models.people.find({ userid: { $in: userids } }).lean<Person[]>();
    return new Map(found.map((p) => [p.userid, p]));
  }
}
