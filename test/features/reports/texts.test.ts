import { loadConfig } from '../../../config';
import { monthReportText } from '../../../src/features/reports/texts';
import type { MonthDoc } from '../../../src/store/models/month';

describe('month report text', () => {
  it('says so when a month has nobody to assess', () => {
    const month: MonthDoc = {
      key: '2024-08',
      department: '客服部',
      status: 'open',
      form: loadConfig({}).assessment,
      openedAt: new Date(),
      openedBy: 'test',
      closedAt: null,
      closedBy: null,
    };
    expect(monthReportText({ month, rows: [], records: [] })).toBe(
      '2024年8月考核报表（进行中）\n本月没有需要考核的人员。',
    );
  });
});

describe('a large month', () => {
  it('keeps the ranking and the flags short, saying how many are left out', () => {
    const form = loadConfig({}).assessment;
    const month: MonthDoc = {
      key: '2024-08',
      department: '客服部',
      status: 'closed',
      form,
      openedAt: new Date(),
      openedBy: 't',
      closedAt: null,
      closedBy: null,
    };
    const rows = Array.from({ length: 30 }, (_, i) => ({
      person: {
        userid: `u${i}`,
        name: `员工${i}`,
        employeeNo: `K${String(i).padStart(3, '0')}`,
        roles: ['staff' as const],
        supervisorUserid: 's',
        platform: 'wecom' as const,
        active: true,
        joinedAt: new Date(),
        updatedAt: new Date(),
      },
      doc: {
        month: '2024-08',
        userid: `u${i}`,
        supervisorUserid: 's',
        self: part(),
        supervisor: part(),
        result: null,
        createdAt: new Date(),
      },
      result: {
        userid: `u${i}`,
        selfTotal: null,
        selfCounted: 0,
        supervisorTotal: 80,
        adjustmentTotal: 0,
        final: 68 + i / 10,
        missingSelf: true,
        missingSupervisor: false,
      },
    }));
    const text = monthReportText({ month, rows, records: [] });
    expect(text).toContain('……中间 10 人略（/report 2024-08 工号 查看个人）');
    expect(text).toMatch(/^未自评：员工0（K000）、.*员工19（K019） 等 30 人$/m);
    // Head (4 lines), 20 ranked + the gap line, three flag lines; no submitted supervisor form, so no weakest criteria;
    // calibration: its heading, the department and the one supervisor.
    expect(text.split('\n')).toHaveLength(4 + 21 + 3 + 3);
    expect(text).toMatch(
      /^校准（主管评分合计）：\n全部门：30 人，平均 80，标准差 0\n.*：30 人，平均 80，标准差 0$/m,
    );
  });
});

function part() {
  return {
    scores: new Map(),
    remarks: new Map(),
    remark: null,
    status: 'draft' as const,
    authorUserid: null,
    submittedAt: null,
    updatedAt: null,
  };
}
