import { parseRecordInput } from '../../src/assessment/record-input';

const bounds = { min: -10, max: 10 };

describe('record input', () => {
  it('reads 工号, points, an optional kind and criterion, and the reason', () => {
    expect(parseRecordInput('K001 -2 日常 #8 上班迟到 10 分钟', bounds)).toEqual({
      employeeNo: 'K001',
      points: -2,
      kind: 'daily',
      criterionNo: 8,
      reason: '上班迟到 10 分钟',
    });
    expect(parseRecordInput('K002 +3 表扬 业主送来锦旗', bounds)).toMatchObject({
      points: 3,
      kind: 'praise',
      criterionNo: null,
    });
    expect(parseRecordInput('K002 ＋1 第2项 耐心解答', bounds)).toMatchObject({
      points: 1,
      kind: null,
      criterionNo: 2,
      reason: '耐心解答',
    });
  });

  it.each([
    ['K001 -11 投诉 太多', /-10 到 10 之间/],
    ['K001 0 其他 无', /不能为 0/],
    ['K001 abc 投诉 x', /不是有效分值/],
    ['K001 -2', /请写明理由/],
    ['K001 -2 投诉', /请写明理由/],
    ['K001', /格式：/],
    ['', /格式：/],
  ])('refuses %j', (args, message) => {
    expect(() => parseRecordInput(args, bounds)).toThrow(message);
  });
});
