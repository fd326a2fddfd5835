import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseRoster } from '../../src/roster/parse-roster';

const HEADER = 'userid,name,employee_no,roles,supervisor_userid,platform';
const fixture = readFileSync(path.join(__dirname, '../fixtures/roster.csv'), 'utf8');

function problems(csv: string) {
  const result = parseRoster(csv);
  if (result.ok) throw new Error('expected problems');
  return result.problems;
}

describe('parseRoster', () => {
  it('reads a good file into entries', () => {
    const result = parseRoster(fixture);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.entries).toHaveLength(6);
    expect(result.entries[2]).toEqual({
      userid: 'zhaomin',
      name: '赵敏',
      employeeNo: 'L001',
      roles: ['leader', 'staff'],
      supervisorUserid: 'liuyan',
      platform: 'wecom',
      department: '客服部',
      project: null,
    });
    expect(result.entries[0]!.supervisorUserid).toBeNull();
  });

  it('reads the optional department and project columns, defaulting to 客服部', () => {
    const csv = [
      `${HEADER},department,project`,
      'm1,经理,M1,manager,,wecom,秩序部,阳光花园',
      'k1,员工,K1,staff,m1,wecom,,',
    ].join('\n');
    const result = parseRoster(csv);
    expect(result.ok && result.entries).toMatchObject([
      { userid: 'm1', department: '秩序部', project: '阳光花园' },
      { userid: 'k1', department: '客服部', project: null },
    ]);
  });

  it('accepts a byte-order mark and surrounding spaces', () => {
    const csv = `\uFEFF${HEADER}\nm1, 经理 ,M1, manager ,,wecom\n`;
    const result = parseRoster(csv);
    expect(result.ok && result.entries[0]).toMatchObject({
      userid: 'm1',
      name: '经理',
      roles: ['manager'],
    });
  });

  it('reports every bad row with its line number', () => {
    const csv = [
      HEADER,
      'm1,经理,M1,manager,,wecom', // line 2: fine
      's1,主管,S1,boss,m1,wecom', // line 3: unknown role
      'k1,员工,K1,staff,,wecom', // line 4: staff without supervisor
      'k2,员工二,K2,staff,nobody,wecom', // line 5: supervisor not in file
      'k3,员工三,K3,staff,m1,wechat', // line 6: bad platform
      'k3,员工四,K4,staff,m1,wecom', // line 7: duplicate userid
      'k5,员工五,K1,staff,m1,wecom', // line 8: duplicate employee_no
      'k6,员工六,K6,staff,k5,wecom', // line 9: supervisor without the role
    ].join('\n');
    const found = problems(csv);
    expect(found.map((p) => p.line)).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(found[0]!.message).toMatch(/unknown role "boss"/);
    expect(found[1]!.message).toMatch(/no supervisor/);
    expect(found[2]!.message).toMatch(/"nobody" is not in the roster/);
    expect(found[3]!.message).toMatch(/bad platform "wechat"/);
    expect(found[4]!.message).toMatch(/duplicate userid "k3" \(also on line 6\)/);
    expect(found[5]!.message).toMatch(/duplicate employee_no "K1" \(also on line 4\)/);
    expect(found[6]!.message).toMatch(/neither the supervisor nor the manager role/);
  });

  it('counts lines past quoted line breaks', () => {
    const csv = `${HEADER}\nm1,"经理\n(兼)",M1,manager,,wecom\nk1,员工,K1,staff,m1,qq\n`;
    expect(problems(csv)).toEqual([{ line: 4, message: expect.stringMatching(/bad platform/) }]);
  });

  it('refuses a file without the required header', () => {
    expect(problems('userid,name\na,b\n')).toEqual([
      { line: 1, message: 'header is missing employee_no, roles, supervisor_userid, platform' },
    ]);
  });

  it('refuses broken CSV with a line number', () => {
    const found = problems(
      `${HEADER}\nm1,经理,M1,manager,,wecom\nk1,"unterminated,K1,staff,m1,wecom\n`,
    );
    expect(found[0]!.message).toMatch(/not valid CSV/);
    expect(found[0]!.line).toBeGreaterThanOrEqual(3);
  });

  it('refuses a row with the wrong number of columns', () => {
    const found = problems(`${HEADER}\nm1,经理,M1,manager,,wecom\nk1,员工,K1,staff\n`);
    expect(found[0]).toMatchObject({ line: 3 });
  });
});
