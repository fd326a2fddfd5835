import { Schema, type Connection, type Model } from 'mongoose';
import { PLATFORMS, type Platform } from '../../channels';
import { DEFAULT_DEPARTMENT } from '../../assessment/department';

export { DEFAULT_DEPARTMENT } from '../../assessment/department';

/** What a person may do; one person may hold several roles. */
export const ROLES = ['staff', 'leader', 'supervisor', 'manager', 'hr'] as const;
export type Role = (typeof ROLES)[number];

/** Someone on the roster. People are deactivated, never deleted, so their history stays. */
export interface Person {
  userid: string;
  name: string;
  employeeNo: string;
  roles: Role[];
  supervisorUserid: string | null;
  platform: Platform;
  /**
   * The department the person works in (e.g. 客服部); a roster without the
   * column puts everyone in 客服部. Absent on people stored before departments existed.
   */
  department?: string;
  /** The project (项目) the department belongs to, when the company has several. */
  project?: string | null;
  active: boolean;
  /** When this person first appeared on the roster; people who join after a month opens are not chased. */
  joinedAt: Date;
  updatedAt: Date;
}

const personSchema = new Schema<Person>(
  {
    userid: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    employeeNo: { type: String, required: true, unique: true },
    roles: { type: [String], enum: ROLES, required: true },
    supervisorUserid: { type: String, default: null, index: true },
    platform: { type: String, enum: PLATFORMS, required: true },
    department: { type: String, default: DEFAULT_DEPARTMENT },
    project: { type: String, default: null },
    active: { type: Boolean, default: true },
    joinedAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'people', versionKey: false },
);

/** The people model on a connection. */
export function personModel(connection: Connection): Model<Person> {
  return connection.models.Person ?? connection.model<Person>('Person', personSchema);
}
