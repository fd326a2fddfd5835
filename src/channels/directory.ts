/**
 * The neutral shape of a company directory (WeCom's 通讯录, DingTalk's
 * 通讯录), as a platform's directory source reads it. Sources carry transport
 * only: they fetch and translate field names; deciding who is whose
 * supervisor, which department counts and what changes on the roster happens
 * in src/roster, the same for every platform.
 */
import type { Platform } from './types';

/** One department the app can see. */
export interface DirectoryDepartment {
  id: string;
  name: string;
  /** The parent's id; null for the top of what the app can see. */
  parentId: string | null;
}

/** One member the app can see, with only what self-built apps may still read (never mobile or email). */
export interface DirectoryMember {
  userid: string;
  name: string;
  /** 工号 when the platform has one for this person (DingTalk job_number); null otherwise. */
  employeeNo: string | null;
  /** The visible departments the member is in, in the platform's order. */
  departmentIds: string[];
  /** The platform's main department (WeCom main_department), when it names one the app can see. */
  mainDepartmentId: string | null;
  /** Their leaders as the platform lists them (WeCom direct_leader, DingTalk manager_userid). */
  leaderUserids: string[];
  /** Names of the tags (WeCom) or roles (DingTalk) the member holds, among those asked for. */
  labels: string[];
}

/** Everything a directory answered in one read. */
export interface DirectorySnapshot {
  platform: Platform;
  departments: DirectoryDepartment[];
  /** The id of the company's own top department (both platforms: 1); a department under it is no project. */
  companyRootId: string;
  members: DirectoryMember[];
  /**
   * Whether the platform leaves out leaders outside the app's visible range
   * (WeCom's direct_leader does) rather than naming them (DingTalk's
   * manager_userid): it changes what a member without a leader means.
   */
  hidesLeadersOutsideRange: boolean;
  /** Members left out and why (e.g. disabled accounts), for the dry run to mention. */
  skipped: { userid: string; name: string; reason: string }[];
}

/** Reads one platform's directory with the app's own credentials, within its visible range. */
export interface DirectorySource {
  readonly platform: Platform;
  /** Reads the whole visible directory; `labels` are the tag or role names worth fetching members of. */
  read(labels: readonly string[]): Promise<DirectorySnapshot>;
}
