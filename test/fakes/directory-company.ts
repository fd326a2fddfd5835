/**
 * One company for both fake directories: a department tree (a project with
 * 客服部 and 秩序部, a head office the app cannot see), people with leaders,
 * role labels (WeCom tags, DingTalk roles) and 工号. Tests change it between
 * reads (someone leaves, someone moves) and the fakes serve what it holds.
 */

/** A department in the company. */
export interface CompanyDepartment {
  id: number;
  name: string;
  parent: number | null;
}

/** A person in the company, with everything either platform may report. */
export interface CompanyPerson {
  userid: string;
  name: string;
  jobNumber: string;
  departments: number[];
  /** WeCom's main_department (DingTalk has none). */
  main?: number;
  leader?: string;
  /** Tag names on WeCom, role names on DingTalk. */
  labels: string[];
  /** WeCom's status: 1 active (default), 2 disabled, 4 not activated, 5 left. */
  status?: number;
}

/** The company and the part of it the app can see. */
export interface FakeCompany {
  departments: CompanyDepartment[];
  people: CompanyPerson[];
  /** Departments whose subtrees are in the app's visible range. */
  visible: number[];
}

/**
 * 阳光物业 (1) → 阳光花园项目 (2) → 客服部 (3), 秩序部 (4); 总部 (5) is outside the
 * visible range and holds 总经理, the manager's own leader. 陈静 is in two departments.
 */
export function sampleCompany(): FakeCompany {
  return {
    departments: [
      { id: 1, name: '阳光物业', parent: null },
      { id: 2, name: '阳光花园项目', parent: 1 },
      { id: 3, name: '客服部', parent: 2 },
      { id: 4, name: '秩序部', parent: 2 },
      { id: 5, name: '总部', parent: 1 },
    ],
    people: [
      { userid: 'zongjl', name: '总经理', jobNumber: 'G001', departments: [5], labels: [] },
      person('wangjl', '王建林', 'M001', [3], 'zongjl', ['考核-经理']),
      person('liuyan', '刘燕', 'S001', [3], 'wangjl', ['考核-主管']),
      person('zhaomin', '赵敏', 'L001', [3], 'liuyan', ['考核-领班']),
      person('zhangwei', '张伟', 'K001', [3], 'liuyan'),
      person('lina', '李娜', 'K002', [3], 'liuyan'),
      { ...person('chenjing', '陈静', 'K003', [3, 4], 'liuyan'), main: 3 },
      person('zhouqiang', '周强', 'S101', [4], 'wangjl', ['考核-主管']),
      person('wujun', '吴军', 'B001', [4], 'zhouqiang'),
    ],
    visible: [2],
  };
}

/** A staff member of 秩序部 whose leader is 总经理, outside the visible range: a problem. */
export function outsideLeader(): CompanyPerson {
  return person('xuming', '徐明', 'B002', [4], 'zongjl');
}

function person(
  userid: string,
  name: string,
  jobNumber: string,
  departments: number[],
  leader?: string,
  labels: string[] = [],
): CompanyPerson {
  return { userid, name, jobNumber, departments, leader, labels };
}

/** The department ids the app can see: the visible ones and everything under them. */
export function visibleDepartments(company: FakeCompany): Set<number> {
  const seen = new Set(company.visible);
  for (let grew = true; grew;) {
    grew = false;
    for (const d of company.departments)
      if (d.parent !== null && seen.has(d.parent) && !seen.has(d.id))
        grew = Boolean(seen.add(d.id));
  }
  return seen;
}

/** The people the app can see: those in at least one visible department. */
export function visiblePeople(company: FakeCompany): CompanyPerson[] {
  const departments = visibleDepartments(company);
  return company.people.filter((p) => p.departments.some((d) => departments.has(d)));
}
